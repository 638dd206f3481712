// Storage that refuses writes: a read-only state directory and a full disk
// (for the ledger, and for the output). dmp-sign must fail with exit 7
// (io_error), publish no wire it has not recorded, leave no temporary files,
// and carry on once the storage is writable again.
//
// Tests run as root in CI, where chmod does not stop writes, so the storage is
// a tiny tmpfs mounted in a private mount namespace (`unshare -m`): the whole
// scenario runs as one shell script inside it and reports "name=value" lines.
// Where that is not possible the tests skip and say why.
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sign/sign_test_support.hpp"
#include "support/prerequisite.hpp"

namespace dmp::test {
namespace {

constexpr int kExitIo = 7;
constexpr int kSkipped = 77;

class StorageFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private tmpfs mount";
    DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/unshare"), "unshare(1)");
    pub_ = ws_.keygen();
    fs::create_directory(ws_.path("mnt"));
  }

  // Runs `script` under `unshare -m bash -c`, with $MNT a fresh 256 KiB
  // tmpfs, $D the workspace, $SIGN the sign command prefix (key, passphrase,
  // --yes, --now) and $BIN dmp-sign. Returns its name=value report.
  std::map<std::string, std::string> run_script(const std::string& script) {
    const std::string prelude =
        "set -u\n"
        "mount -t tmpfs -o size=256k,mode=0700 tmpfs \"$MNT\" || exit 77\n"
        "fill() { dd if=/dev/zero of=\"$MNT/filler\" bs=4k >/dev/null 2>&1; "
        "dd if=/dev/zero of=\"$MNT/filler2\" bs=1 >/dev/null 2>&1; true; }\n"
        "unfill() { rm -f \"$MNT/filler\" \"$MNT/filler2\"; }\n"
        "sign() { \"$BIN\" sign --first --key \"$D/operator.key\" --passphrase-file \"$D/pass\" "
        "--yes "
        "--now " +
        kNowText + " \"$@\"; }\n";
    auto r =
        run_process({"/usr/bin/unshare", "-m", "bash", "-c", prelude + script}, "",
                    environment_with({"MNT=" + ws_.path("mnt").string(), "D=" + ws_.root().string(),
                                      std::string("BIN=") + DMP_SIGN_BIN}));
    stderr_ = r.err;
    std::map<std::string, std::string> report;
    if (r.exit_code == kSkipped || r.exit_code == 1) {
      skipped_ = true;
      return report;
    }
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    for (const auto& line : lines_of(r.out)) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) report[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return report;
  }

  SignWorkspace ws_;
  std::string pub_;
  std::string stderr_;
  bool skipped_ = false;
};

#define DMP_SKIP_IF_NO_MOUNT() \
  if (skipped_) GTEST_SKIP() << "cannot mount a tmpfs in a private namespace here: " << stderr_

TEST_F(StorageFailure, ReadOnlyStateDirectoryRefusesAndRecovers) {
  ws_.write_input("one.json", cluster_input("mesh.example.com", 1));
  ws_.write_input("two.json", cluster_input("mesh.example.com", 2));
  auto report = run_script(R"(
    sign --state-dir "$MNT/state" --out "$D/one.wire" "$D/one.json" 2>/dev/null; echo first=$?
    cp "$MNT/state/ledger" "$D/ledger-before"
    mount -o remount,ro "$MNT" || exit 77
    sign --state-dir "$MNT/state" --out "$D/two.wire" "$D/two.json" 2>"$D/ro.err"; echo ro=$?
    "$BIN" ledger verify --state-dir "$MNT/state" >/dev/null 2>&1; echo ro_verify=$?
    mount -o remount,rw "$MNT"
    cmp -s "$MNT/state/ledger" "$D/ledger-before"; echo ledger_unchanged=$?
    sign --state-dir "$MNT/state" --out "$D/two.wire" "$D/two.json" 2>/dev/null; echo again=$?
    "$BIN" ledger verify --state-dir "$MNT/state" >/dev/null 2>&1; echo verify=$?
    echo entries=$(($(wc -l < "$MNT/state/ledger") - 1))
    echo tmp=$(find "$MNT" -name '.*.tmp-*' | wc -l)
  )");
  DMP_SKIP_IF_NO_MOUNT();
  EXPECT_EQ(report["first"], "0");
  EXPECT_EQ(report["ro"], std::to_string(kExitIo));
  EXPECT_NE(read_file(ws_.path("ro.err")).find("[io_error]"), std::string::npos)
      << read_file(ws_.path("ro.err"));
  EXPECT_EQ(report["ro_verify"], "0");  // reading needs no write access
  EXPECT_EQ(report["ledger_unchanged"], "0");
  EXPECT_EQ(report["again"], "0");
  EXPECT_EQ(report["verify"], "0");
  EXPECT_EQ(report["entries"], "2");
  EXPECT_EQ(report["tmp"], "0");
  EXPECT_EQ(ws_.verify(pub_, ws_.path("two.wire")).exit_code, 0);
}

TEST_F(StorageFailure, FullDiskUnderTheLedgerWritesNoWire) {
  // tmpfs hands out whole pages: a ledger already holding a page could still
  // take another entry, so the ledger is created on the full disk.
  ws_.write_input("one.json", cluster_input("mesh.example.com", 1));
  auto report = run_script(R"(
    fill
    sign --state-dir "$MNT/state" --out "$D/one.wire" "$D/one.json" 2>"$D/full.err"; echo full=$?
    test -e "$D/one.wire"; echo wire_absent=$?
    unfill
    sign --state-dir "$MNT/state" --out "$D/one.wire" "$D/one.json" 2>/dev/null; echo again=$?
    "$BIN" ledger verify --state-dir "$MNT/state" >/dev/null 2>&1; echo verify=$?
    echo entries=$(($(wc -l < "$MNT/state/ledger") - 1))
    echo tmp=$(find "$MNT" -name '.*.tmp-*' | wc -l)
  )");
  DMP_SKIP_IF_NO_MOUNT();
  EXPECT_EQ(report["full"], std::to_string(kExitIo)) << read_file(ws_.path("full.err"));
  EXPECT_NE(read_file(ws_.path("full.err")).find("[io_error]"), std::string::npos);
  EXPECT_EQ(report["wire_absent"], "1");
  EXPECT_EQ(report["again"], "0");
  EXPECT_EQ(report["verify"], "0");
  EXPECT_EQ(report["entries"], "1");
  EXPECT_EQ(report["tmp"], "0");
  EXPECT_EQ(ws_.verify(pub_, ws_.path("one.wire")).exit_code, 0);
}

TEST_F(StorageFailure, FullDiskUnderTheOutputKeepsTheLedgerEntryForAReemit) {
  ws_.write_input("one.json", cluster_input("mesh.example.com", 1));
  auto report = run_script(R"(
    mkdir "$MNT/out"
    fill
    sign --state-dir "$D/state" --out "$MNT/out/one.wire" "$D/one.json" 2>"$D/full.err"; echo full=$?
    echo out_files=$(ls -A "$MNT/out" | wc -l)
    unfill
    sign --state-dir "$D/state" --out "$MNT/out/one.wire" "$D/one.json" 2>/dev/null; echo again=$?
    cp "$MNT/out/one.wire" "$D/one.wire"
  )");
  DMP_SKIP_IF_NO_MOUNT();
  const std::string err = read_file(ws_.path("full.err"));
  EXPECT_EQ(report["full"], std::to_string(kExitIo)) << err;
  EXPECT_NE(err.find("dmp-sign ledger reemit"), std::string::npos) << err;  // what to do
  EXPECT_EQ(report["out_files"], "0");  // no partial or temporary file
  EXPECT_EQ(report["again"], "0");
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entry_field(entries[0], 2), "sign");
  EXPECT_EQ(entry_field(entries[1], 2), "reemit");
  EXPECT_EQ(ws_.verify(pub_, ws_.path("one.wire")).exit_code, 0);
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
}

}  // namespace
}  // namespace dmp::test
