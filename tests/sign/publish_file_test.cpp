// publish_file (signer/common/private_file), below every preflight: the
// atomic write of a public output replaces a regular file, and refuses a
// FIFO, a device or a symlink at the target even when no caller checked
// (rename(2) would replace the node itself), leaving no temporary behind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/private_file.hpp"
#include "support/process.hpp"

namespace dmp::cli {
namespace {

namespace fs = std::filesystem;

std::span<const std::uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::size_t entries_in(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(PublishFile, ReplacesARegularFile) {
  test::TempDir dir;
  const fs::path out = dir.path() / "out.wire";
  std::ofstream(out) << "old";
  ASSERT_TRUE(publish_file(out.string(), bytes_of("new")));
  EXPECT_EQ(read(out), "new");
  EXPECT_EQ(entries_in(dir.path()), 1u);
}

TEST(PublishFile, RefusesAFifoOrASymlinkAtTheTarget) {
  test::TempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = publish_file(fifo.string(), bytes_of("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::output_refused);
  EXPECT_TRUE(fs::is_fifo(fifo));
  const fs::path target = dir.path() / "target";
  std::ofstream(target) << "keep";
  const fs::path link = dir.path() / "link";
  fs::create_symlink(target, link);
  r = publish_file(link.string(), bytes_of("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::output_refused);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read(target), "keep");
  EXPECT_EQ(entries_in(dir.path()), 3u);  // no temporary left
}

}  // namespace
}  // namespace dmp::cli
