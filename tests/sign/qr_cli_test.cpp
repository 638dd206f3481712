// `dmp-sign qr show|png|scan` end to end: real processes, real PNG files,
// the real dmp-sign-qrscan helper (ZBar), and zbarimg as an independent
// reader of the single-frame codes. The camera path needs a V4L2 device;
// ZBar offers no fake video source, so it is not run here (everything up to
// the frame decoder is, with images).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <termios.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

#include "sign/sign_test_support.hpp"
#include "support/prerequisite.hpp"
#include "support/terminal.hpp"

namespace dmp::test {
namespace {

// zbarimg (zbar-tools, installed by scripts/install-deps.sh): an independent
// reader; a single-frame code must show the wire as it is.
const std::string kZbarimg = "/usr/bin/zbarimg";

class Qr : public ::testing::Test {
 protected:
  fs::path file(const std::string& name, const std::string& content) {
    const fs::path p = ws_.path(name);
    write_file(p, content);
    return p;
  }
  static std::vector<std::string> pngs(const fs::path& dir) { return pngs_in(dir); }
  ProcessResult scan(std::vector<std::string> images, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"qr", "scan"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), images.begin(), images.end());
    return ws_.run(args);
  }
  static std::string text_of_size(std::size_t n, unsigned seed) {
    std::mt19937 random(seed);
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
      out += static_cast<char>('!' + random() % 90);
    return out;
  }
  SignWorkspace ws_;
};

TEST_F(Qr, WiresRoundTripThroughPngAndZbarimgReadsThePlainWire) {
  ws_.keygen();
  for (int nodes : {1, 3, 12}) {
    SCOPED_TRACE(nodes);
    const std::string name = "n" + std::to_string(nodes);
    ws_.sign_ok(cluster_input(name + ".example.com", 1, nodes), name + ".wire");
    const std::string wire = read_file(ws_.path(name + ".wire"));
    auto png = ws_.run({"qr", "png", ws_.path(name + ".wire").string(), "--out-dir",
                        ws_.path(name + "-qr").string()});
    ASSERT_EQ(png.exit_code, 0) << png.err;
    const auto images = pngs(ws_.path(name + "-qr"));
    ASSERT_EQ(images.size(), 1u);
    auto back = scan(images);
    ASSERT_EQ(back.exit_code, 0) << back.err;
    EXPECT_EQ(back.out, wire);
    // Any reader: zbarimg shows the wire as it is.
    auto z = run_process({kZbarimg, "-q", "--raw", "-Sbinary", images[0]});
    ASSERT_EQ(z.exit_code, 0) << z.err;
    EXPECT_EQ(z.out, wire);
  }
}

// Sizes from 1 byte to the 1200-byte wire cap, as wire-like text: `qr png`
// makes one plain code, `qr scan` reads it back exactly, and zbarimg,
// knowing nothing of dmp-sign, shows the text as it is. Every size from 1 to
// 40 and from 1190 to 1200, and every 37th between (a process pair costs
// about 0.1 s); QrFrames.EverySizeUpToTheWireCapIsOnePlainCodeThatDecodes
// takes every single size through the same encoder, PNG and ZBar in process.
TEST_F(Qr, SizesToTheWireCapAreOnePlainCodeForQrScanAndZbarimg) {
  static constexpr char kBase64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::string> images;
  std::vector<std::string> payloads;
  std::vector<std::size_t> sizes;
  for (std::size_t size = 1; size <= 1200;
       size += (size < 40 || size >= 1190) ? 1 : std::min<std::size_t>(37, 1190 - size))
    sizes.push_back(size);
  ASSERT_EQ(sizes.back(), 1200u);
  for (const std::size_t size : sizes) {
    std::string payload = std::string("v=dmp1;t=cluster;").substr(0, size);
    for (std::size_t i = payload.size(); i < size; ++i)
      payload += kBase64[(i * 7 + size) % 64];
    const fs::path in = file("s" + std::to_string(size), payload);
    const fs::path dir = ws_.path("q" + std::to_string(size));
    auto png = ws_.run({"qr", "png", in.string(), "--out-dir", dir.string()});
    ASSERT_EQ(png.exit_code, 0) << size << ": " << png.err;
    const auto frames = pngs(dir);
    ASSERT_EQ(frames.size(), 1u) << size;
    auto back = scan(frames);
    ASSERT_EQ(back.exit_code, 0) << size << ": " << back.err;
    ASSERT_EQ(back.out, payload) << size;
    images.push_back(frames.front());
    payloads.push_back(payload);
  }
  // One zbarimg over all of them: each source's text, in order.
  std::vector<std::string> args{kZbarimg, "-q", "--xml"};
  args.insert(args.end(), images.begin(), images.end());
  auto z = run_process(args);
  ASSERT_EQ(z.exit_code, 0) << z.err;
  std::size_t at = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    at = z.out.find("<source href='" + images[i] + "'>", at);
    ASSERT_NE(at, std::string::npos) << images[i];
    const std::size_t begin = z.out.find("<![CDATA[", at) + 9;
    const std::size_t end = z.out.find("]]>", begin);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(z.out.substr(begin, end - begin), payloads[i]) << i + 1;
  }
}

TEST_F(Qr, PayloadsOfManySizesRoundTrip) {
  for (std::size_t size :
       {1u, 2u, 17u, 255u, 256u, 511u, 1000u, 1199u, 1200u, 1201u, 4000u, 65536u}) {
    SCOPED_TRACE(size);
    const std::string payload = text_of_size(size, static_cast<unsigned>(size));
    const fs::path in = file("p" + std::to_string(size), payload);
    const fs::path dir = ws_.path("qr" + std::to_string(size));
    auto png = ws_.run({"qr", "png", in.string(), "--out-dir", dir.string()});
    ASSERT_EQ(png.exit_code, 0) << png.err;
    const auto images = pngs(dir);
    // Up to the wire cap, one plain code (version 25-L holds 1273 bytes).
    if (size <= 1200) {
      EXPECT_EQ(images.size(), 1u);
    }
    if (size > 1273) {
      EXPECT_GT(images.size(), 1u);
    }
    const fs::path out = ws_.path("back" + std::to_string(size));
    auto back = scan(images, {"--out", out.string()});
    ASSERT_EQ(back.exit_code, 0) << back.err;
    EXPECT_EQ(read_file(out), payload);
    if (images.size() == 1) {
      auto z = run_process({kZbarimg, "-q", "--raw", "-Sbinary", images[0]});
      EXPECT_EQ(z.out, payload);
    }
  }
}

TEST_F(Qr, TheLargestUnsignedRequestRoundTrips) {
  // A draft of 32 nodes with long endpoints and its previous wire embedded.
  nlohmann::json input = cluster_input("mesh.example.com", "auto", 0);
  for (int i = 0; i < 32; ++i) {
    input["nodes"].push_back({{"node_id", "node-" + std::to_string(i)},
                              {"http_endpoint", "https://" + std::string(90, 'a') + ".example"},
                              {"dns_endpoint", "[2001:db8::" + std::to_string(i) + "]:53"}});
  }
  input["previous"] = "v=dmp1;t=cluster;" + std::string(1183, 'A');
  const std::string text = input.dump(2) + "\n";
  const fs::path in = file("big.json", text);
  auto png = ws_.run({"qr", "png", in.string(), "--out-dir", ws_.path("big").string(),
                      "--max-frame-bytes", "600"});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  auto images = pngs(ws_.path("big"));
  ASSERT_GT(images.size(), 2u);
  std::reverse(images.begin(), images.end());
  auto back = scan(images);
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, text);
  EXPECT_NE(back.err.find(std::to_string(images.size()) + " of " + std::to_string(images.size()) +
                          " frames"),
            std::string::npos)
      << back.err;
}

TEST_F(Qr, MissingDuplicatedAndMixedFramesAreRefused) {
  const fs::path a = file("a.txt", text_of_size(3000, 1));
  const fs::path b = file("b.txt", text_of_size(3000, 2));
  ASSERT_EQ(ws_.run({"qr", "png", a.string(), "--out-dir", ws_.path("qa").string(),
                     "--max-frame-bytes", "1000"})
                .exit_code,
            0);
  ASSERT_EQ(ws_.run({"qr", "png", b.string(), "--out-dir", ws_.path("qb").string(),
                     "--max-frame-bytes", "1000"})
                .exit_code,
            0);
  const auto fa = pngs(ws_.path("qa"));
  const auto fb = pngs(ws_.path("qb"));
  ASSERT_EQ(fa.size(), 3u);
  // Missing frame 2, frame 1 twice: progress, then one clear line.
  auto r = scan({fa[0], fa[0], fa[2]}, {"--out", ws_.path("x").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("2 of 3 frames"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing frame(s) 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("x")));
  // A frame of another payload.
  r = scan({fa[0], fb[1], fa[1], fa[2]}, {"--out", ws_.path("x").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("belongs to another payload"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("x")));
  // An image with no code in it, and a file that is no image.
  r = scan({fa[0], fa[1], fa[2], ws_.path("a.txt").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // all frames were read before it
  r = scan({ws_.path("a.txt").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not a PNG image"), std::string::npos) << r.err;
}

TEST_F(Qr, ShowFitsTheTerminalAndLabelsEveryFrame) {
  const fs::path wire = file("w.wire", "v=dmp1;t=cluster;" + text_of_size(900, 4));
  auto small = ws_.run({"qr", "show", wire.string(), "--columns", "80", "--rows", "24"});
  ASSERT_EQ(small.exit_code, 0) << small.err;
  auto big = ws_.run({"qr", "show", wire.string(), "--columns", "200", "--rows", "80"});
  ASSERT_EQ(big.exit_code, 0) << big.err;
  const auto frames_in = [](const std::string& out) {
    std::size_t n = 0;
    for (const auto& line : lines_of(out))
      if (line.rfind("frame ", 0) == 0 || line.rfind("the whole payload", 0) == 0) ++n;
    return n;
  };
  EXPECT_GT(frames_in(small.out), 5u);
  EXPECT_EQ(frames_in(big.out), 1u);
  EXPECT_NE(small.out.find("frame 1 of "), std::string::npos);
  EXPECT_EQ(small.out.find('\x1b'), std::string::npos);  // not a terminal: no clearing
  // Every code fits 80 columns and 22 rows.
  std::size_t rows = 0;
  for (const auto& line : lines_of(small.out)) {
    if (line.rfind("frame ", 0) == 0) {
      EXPECT_LE(rows, 22u);
      rows = 0;
      continue;
    }
    ++rows;
    // Half blocks are 3 bytes of UTF-8 each; spaces 1.
    std::size_t columns = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++columns;
    EXPECT_LE(columns, 80u);
  }
  auto tiny = ws_.run({"qr", "show", wire.string(), "--columns", "20", "--rows", "10"});
  EXPECT_EQ(tiny.exit_code, kExitUsage);
  EXPECT_TRUE(one_line_refusal(tiny, "usage"));
}

// On a terminal: one frame at a time, the screen cleared between them, a key
// for the next, q to stop (script(1) gives dmp-sign a pseudo-terminal).
TEST_F(Qr, ShowOnATerminalWaitsForAKeyBetweenFrames) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/script"), "/usr/bin/script (bsdutils)");
  const fs::path wire = file("w.wire", "v=dmp1;t=cluster;" + text_of_size(900, 4));
  const std::string command =
      std::string(DMP_SIGN_BIN) + " qr show " + wire.string() + " --columns 80 --rows 24";
  auto r = run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, " q");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("frame 1 of "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("frame 2 of "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("frame 3 of "), std::string::npos) << "q stops after frame 2";
  EXPECT_NE(r.out.find("Enter/space: next, q: stop"), std::string::npos);
  EXPECT_NE(r.out.find("\x1b[H\x1b[2J"), std::string::npos);
}

TEST_F(Qr, ScanNeverWritesOverAnInputImage) {
  const fs::path a = file("a.txt", "hello");
  ASSERT_EQ(ws_.run({"qr", "png", a.string(), "--out-dir", ws_.path("q").string()}).exit_code, 0);
  const auto images = pngs(ws_.path("q"));
  auto r = scan(images, {"--out", images[0]});
  EXPECT_EQ(r.exit_code, 15);
  EXPECT_TRUE(one_line_refusal(r, "output_refused"));
}

}  // namespace
}  // namespace dmp::test

namespace dmp::test {
namespace {

// After an adversarial review: what qr scan writes, and where.
class QrReview : public Qr {
 protected:
  // One plain code of `text` in DIR/frame-001.png.
  std::string code_of(const std::string& name, const std::string& text) {
    const fs::path in = file(name + ".txt", text);
    auto png = ws_.run({"qr", "png", in.string(), "--out-dir", ws_.path(name).string()});
    EXPECT_EQ(png.exit_code, 0) << png.err;
    return pngs(ws_.path(name)).front();
  }
};

TEST_F(QrReview, ScanNeverReplacesSeedsKeysOrTheStateDirectory) {
  const std::string image = code_of("w", "v=dmp1;t=cluster;QUJD");
  const std::vector<std::string> env =
      environment_with({"DMP_SIGNER_STATE_DIR=" + ws_.state().string()});
  fs::create_directories(ws_.state());
  write_file(ws_.state() / "head", "head\n");
  write_file(ws_.path("operator-ed25519.hex"),
             "# dev only\noperator_seed_hex=" + std::string(64, 'a') + "\n");
  write_file(ws_.path("seed.hex"), std::string(64, 'b') + "\n");
  for (const fs::path& target :
       {ws_.state() / "head", ws_.path("operator-ed25519.hex"), ws_.path("seed.hex")}) {
    const std::string before = read_file(target);
    auto r = ws_.run({"qr", "scan", "--out", target.string(), image}, "", DMP_SIGN_BIN, env);
    EXPECT_EQ(r.exit_code, 15) << target << ": " << r.err;
    EXPECT_TRUE(one_line_refusal(r, "output_refused")) << r.err;
    EXPECT_EQ(read_file(target), before);
    // draft --out alike.
    auto d = ws_.run({"draft", "--new", "cluster", "--name", "x.example.com", "--add-node",
                      "n1=https://x.example", "--out", target.string()},
                     "", DMP_SIGN_BIN, env);
    EXPECT_EQ(d.exit_code, 15) << target << ": " << d.err;
    EXPECT_EQ(read_file(target), before);
  }
}

TEST_F(QrReview, ShowAndPngRefuseKeysSeedsAndTheLedger) {
  ws_.keygen();
  write_file(ws_.path("operator-ed25519.hex"), "operator_seed_hex=" + std::string(64, 'a') + "\n");
  for (const fs::path& secret : {ws_.key_file(), ws_.path("operator-ed25519.hex")}) {
    auto r = ws_.run({"qr", "png", secret.string(), "--out-dir", ws_.path("leak").string()});
    EXPECT_EQ(r.exit_code, kExitInvalid) << secret << ": " << r.err;
    EXPECT_NE(r.err.find("never shown as a QR code"), std::string::npos) << r.err;
    r = ws_.run({"qr", "show", secret.string()});
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  EXPECT_FALSE(fs::exists(ws_.path("leak") / "frame-001.png"));
  // A public key may cross as a code.
  auto pub = ws_.run({"pubkey", "--key", ws_.key_file().string()});
  auto r = ws_.run({"qr", "show", "-"}, pub.out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(QrReview, EveryCodeOfTheImagesIsChecked) {
  const std::string a = code_of("a", "v=dmp1;t=cluster;QUFB");
  const std::string b = code_of("b", "v=dmp1;t=cluster;QkJC");
  // Two different wires: refused whichever comes first.
  for (const auto& order : {std::vector<std::string>{a, b}, std::vector<std::string>{b, a}}) {
    auto r = scan(order, {"--out", ws_.path("x").string()});
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
    EXPECT_NE(r.err.find("another payload"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("x")));
  }
  // The same code twice is one payload.
  auto r = scan({a, a});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "v=dmp1;t=cluster;QUFB");
  // An image named like an option is an image.
  fs::copy_file(a, ws_.path("--camera"));
  r = ws_.run({"qr", "scan", "--", ws_.path("--camera").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "v=dmp1;t=cluster;QUFB");
}

// A code is anyone's input: on a terminal it goes through the renderer.
TEST_F(QrReview, ScanEscapesWhatItShowsOnATerminal) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/script"), "/usr/bin/script (bsdutils)");
  const std::string image = code_of("esc", "hello \x1b]0;TITLE\x07 \x1b[2J\n");
  auto r = run_process(
      {"/usr/bin/script", "-qec", std::string(DMP_SIGN_BIN) + " qr scan " + image, "/dev/null"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hello \\x1b]0;TITLE\\x07 \\x1b[2J"), std::string::npos) << r.out;
  // Into a pipe, the bytes as they are.
  r = scan({image});
  EXPECT_EQ(r.out, "hello \x1b]0;TITLE\x07 \x1b[2J\n");
}

// Ctrl-C while a frame is shown ends `qr show` with the terminal as it was
// (echo and line editing back), not by a signal that skips the restore.
TEST_F(QrReview, CtrlCInShowEndsItCleanly) {
  const fs::path wire = file("w.wire", "v=dmp1;t=cluster;" + text_of_size(900, 4));
  Pty pty = open_pty();
  const pid_t pid = spawn_on_terminal(
      pty.slave_name,
      {DMP_SIGN_BIN, "qr", "show", wire.string(), "--columns", "80", "--rows", "24"}, -1, {}, true);
  // Wait for the first frame (keys are raw by then), then press Ctrl-C.
  std::string seen;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (seen.find("frame 1 of ") == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    pollfd p{pty.master, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(pty.master, buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<std::size_t>(n));
  }
  ASSERT_NE(seen.find("frame 1 of "), std::string::npos) << seen;
  ASSERT_EQ(::write(pty.master, "\x03", 1), 1);
  int status = 0;
  for (int i = 0; i < 300 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
    char buf[4096];
    pollfd p{pty.master, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0 && ::read(pty.master, buf, sizeof buf) < 0) break;
  }
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  termios after{};
  ASSERT_EQ(::tcgetattr(pty.master, &after), 0);
  EXPECT_TRUE(after.c_lflag & ECHO);
  EXPECT_TRUE(after.c_lflag & ICANON);
  EXPECT_TRUE(after.c_lflag & ISIG);
  ::close(pty.master);
}

TEST_F(QrReview, QrOnATerminalTooSmallIsRefusedBeforeAnythingIsWritten) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/script"), "/usr/bin/script (bsdutils)");
  ws_.keygen();
  const fs::path json = ws_.write_input("c.json", cluster_input("small.example.com", 1));
  std::string command = "stty cols 20 rows 10; " + std::string(DMP_SIGN_BIN) +
                        " draft --new cluster --name s.example.com --add-node "
                        "n1=https://s.example --qr --out " +
                        ws_.path("d.json").string() + "; echo rc=$?; " + DMP_SIGN_BIN +
                        " sign --first --key " + ws_.key_file().string() + " --passphrase-file " +
                        ws_.pass_file().string() + " --state-dir " + ws_.state().string() +
                        " --yes --now " + kNowText + " --qr --out " + ws_.path("c.wire").string() +
                        " " + json.string() + "; echo rc=$?";
  auto r = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  EXPECT_NE(r.out.find("rc=2"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("rc=0"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(ws_.path("d.json")));
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  EXPECT_FALSE(fs::exists(ws_.ledger_file()));
}

}  // namespace
}  // namespace dmp::test
