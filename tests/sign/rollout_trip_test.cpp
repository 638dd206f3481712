// The rollout of docs/rollout.md end to end, with files and images only (no
// USB stick, no JSON written by hand): the online machine drafts from what
// DNS serves and shows it as QR codes, the laptop scans them, signs (review,
// ledger) and shows the wire as QR codes, the online machine scans those and
// verifies the wire before publishing it. Codes shown on a terminal (--qr)
// are read back from the text they print, through a PNG, with the real
// dmp-sign-qrscan helper.
#include <gtest/gtest.h>

#include "dmp/verify.hpp"
#include "qr/qr_code.hpp"
#include "qr/qr_png.hpp"
#include "sign/sign_test_support.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

// The QR codes a --qr or `qr show` printed (UTF-8 half blocks, each code
// followed by its status line), as PNG files in `dir`; returns their paths.
std::vector<std::string> codes_on_terminal(const std::string& out, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::string> files;
  std::vector<std::vector<bool>> light_rows;  // module rows of the code being read
  const auto flush = [&] {
    if (light_rows.empty()) return;
    const int size = static_cast<int>(light_rows.front().size());
    qr::Code code;
    code.size = size;
    code.dark.assign(static_cast<std::size_t>(size * size), false);
    for (int y = 0; y < size && y < static_cast<int>(light_rows.size()); ++y) {
      for (int x = 0; x < size; ++x)
        code.dark[static_cast<std::size_t>(y * size + x)] =
            !light_rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)];
    }
    auto png = qr::png_bytes(code, 4);
    EXPECT_TRUE(png);
    const fs::path file = dir / ("code-" + std::to_string(files.size()) + ".png");
    write_file(file, std::string(png->begin(), png->end()));
    files.push_back(file.string());
    light_rows.clear();
  };
  for (const std::string& line : lines_of(out)) {
    std::vector<bool> top, bottom;
    bool blocks = !line.empty();
    for (std::size_t i = 0; i < line.size() && blocks;) {
      if (line[i] == ' ') {
        top.push_back(false), bottom.push_back(false), ++i;
      } else if (line.compare(i, 3, "\u2588") == 0) {
        top.push_back(true), bottom.push_back(true), i += 3;
      } else if (line.compare(i, 3, "\u2580") == 0) {
        top.push_back(true), bottom.push_back(false), i += 3;
      } else if (line.compare(i, 3, "\u2584") == 0) {
        top.push_back(false), bottom.push_back(true), i += 3;
      } else {
        blocks = false;
      }
    }
    if (!blocks) {
      flush();  // a status line ends a code
      continue;
    }
    light_rows.push_back(top);
    light_rows.push_back(bottom);
  }
  flush();
  return files;
}

class RolloutTrip : public ::testing::Test {
 protected:
  // dmp-sign on "the laptop" (the workspace's key and ledger) or "online".
  ProcessResult laptop(std::vector<std::string> args) const { return ws_.run(args); }
  ProcessResult online(std::vector<std::string> args, const std::string& input = "") const {
    return ws_.run(args, input);
  }
  std::vector<std::string> sign_flags() const {
    return {"--key",
            ws_.key_file().string(),
            "--passphrase-file",
            ws_.pass_file().string(),
            "--state-dir",
            ws_.state().string(),
            "--yes",
            "--now",
            kNowText};
  }
  SignWorkspace ws_;
};

TEST_F(RolloutTrip, FirstAndNextRolloutAcrossTheGapByQrOnly) {
  const std::string pub = ws_.keygen();
  const std::string name = "mesh.example.com";

  // --- first rollout: nothing is published yet ---------------------------------
  // Online: draft a new record, pinned to the laptop's public key; show it.
  auto d = online({"draft", "--now", kNowText, "--new", "cluster", "--name", name, "--pubkey", pub,
                   "--add-node", "n1=https://n1." + name + ":8053,dns=203.0.113.1:53", "--add-node",
                   "n2=https://n2." + name + ":8053", "--qr"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  // Laptop: scan the codes off the online machine's screen.
  auto codes = codes_on_terminal(d.out, ws_.path("screen-1"));
  ASSERT_FALSE(codes.empty());
  std::vector<std::string> scan{"qr", "scan", "--out", ws_.path("laptop-first.json").string()};
  scan.insert(scan.end(), codes.begin(), codes.end());
  auto s = laptop(scan);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // Laptop: sign (the review, the ledger), and show the wire.
  std::vector<std::string> sign{"sign"};
  auto flags = sign_flags();
  sign.insert(sign.end(), flags.begin(), flags.end());
  sign.insert(sign.end(), {"--first", "--out", ws_.path("laptop-first.wire").string(), "--qr",
                           ws_.path("laptop-first.json").string()});
  auto signed_first = laptop(sign);
  ASSERT_EQ(signed_first.exit_code, 0) << signed_first.err;
  // Online: scan the wire off the laptop's screen, verify, publish.
  codes = codes_on_terminal(signed_first.out, ws_.path("screen-2"));
  scan = {"qr", "scan", "--out", ws_.path("online-first.wire").string()};
  scan.insert(scan.end(), codes.begin(), codes.end());
  s = online(scan);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(read_file(ws_.path("online-first.wire")), read_file(ws_.path("laptop-first.wire")));
  auto v = ws_.verify(pub, ws_.path("online-first.wire"), {"--name", name});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  const std::string published = read_file(ws_.path("online-first.wire"));

  // --- next rollout: from what DNS serves -----------------------------------------
  // Online: dig +short output in, one node added, one changed; PNG frames
  // (what a second screen or a printout shows), split small to cross in
  // several codes.
  d = online({"draft", "--now", kNowText, "--from", "-", "--pubkey", pub, "--add-node",
              "n3=https://n3." + name + ":8053", "--set-node",
              "n2=https://n2." + name + ":8053,dns=203.0.113.2:53", "--out",
              ws_.path("next.json").string()},
             dig_short({published}));
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto png = online({"qr", "png", ws_.path("next.json").string(), "--out-dir",
                     ws_.path("to-laptop").string(), "--max-frame-bytes", "400"});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  auto frames = pngs_in(ws_.path("to-laptop"));
  ASSERT_GT(frames.size(), 1u);
  std::reverse(frames.begin(), frames.end());  // in any order
  scan = {"qr", "scan", "--out", ws_.path("laptop-next.json").string()};
  scan.insert(scan.end(), frames.begin(), frames.end());
  s = laptop(scan);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(read_file(ws_.path("laptop-next.json")), read_file(ws_.path("next.json")));
  // Laptop: sign; the review shows the changes draft showed.
  sign = {"sign"};
  sign.insert(sign.end(), flags.begin(), flags.end());
  sign.insert(sign.end(), {"--out", ws_.path("laptop-next.wire").string(),
                           ws_.path("laptop-next.json").string()});
  auto signed_next = laptop(sign);
  ASSERT_EQ(signed_next.exit_code, 0) << signed_next.err;
  EXPECT_NE(signed_next.err.find("+ node n3"), std::string::npos) << signed_next.err;
  EXPECT_NE(signed_next.err.find("the draft's previous record (verified)"), std::string::npos);
  png = laptop({"qr", "png", ws_.path("laptop-next.wire").string(), "--out-dir",
                ws_.path("to-online").string()});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  frames = pngs_in(ws_.path("to-online"));
  ASSERT_EQ(frames.size(), 1u);  // a wire is one plain code
  scan = {"qr", "scan", "--out", ws_.path("online-next.wire").string()};
  scan.insert(scan.end(), frames.begin(), frames.end());
  s = online(scan);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  v = ws_.verify(pub, ws_.path("online-next.wire"), {"--name", name, "--min-seq", "2"});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  auto record = verify(read_file(ws_.path("online-next.wire")), key_from_hex(pub),
                       VerifyOptions{.now = kNow, .expected_name = name, .strict = true});
  ASSERT_TRUE(record) << record.error().message();
  const auto& m = std::get<ClusterManifest>(*record);
  EXPECT_EQ(m.seq, 2u);
  ASSERT_EQ(m.nodes.size(), 3u);
  EXPECT_EQ(m.nodes[1].dns_endpoint, "203.0.113.2:53");
  EXPECT_EQ(m.nodes[2].node_id, "n3");
}

// sign reads what qr scan writes, also through a pipe: `qr scan ... | sign -`.
TEST_F(RolloutTrip, SignTakesQrScanOutputOnStandardInput) {
  const std::string pub = ws_.keygen();
  auto d = online(
      {"draft", "--now", kNowText, "--new", "bootstrap", "--name", "example.org", "--add-entry",
       "10:mesh.example.com:2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b",
       "--out", ws_.path("b.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  ASSERT_EQ(online({"qr", "png", ws_.path("b.json").string(), "--out-dir", ws_.path("q").string()})
                .exit_code,
            0);
  std::string command = std::string(DMP_SIGN_BIN) + " qr scan " + pngs_in(ws_.path("q")).front() +
                        " | " + DMP_SIGN_BIN + " sign --first";
  for (const std::string& flag : sign_flags())
    command += " '" + flag + "'";
  command += " --out " + ws_.path("b.wire").string() + " -";
  auto r = run_process({"/bin/sh", "-c", command});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = ws_.verify(pub, ws_.path("b.wire"), {"--name", "example.org"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(RolloutTrip, QrNeedsAnOutputFileForSign) {
  ws_.keygen();
  std::vector<std::string> sign{"sign"};
  auto flags = sign_flags();
  sign.insert(sign.end(), flags.begin(), flags.end());
  sign.insert(sign.end(), {"--first", "--qr",
                           ws_.write_input("c.json", cluster_input("q.example.com", 1)).string()});
  auto r = laptop(sign);
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_TRUE(one_line_refusal(r, "usage"));
}

}  // namespace
}  // namespace dmp::test
