#include "qr/qr_commands.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "common/file_io.hpp"
#include "common/helper_path.hpp"
#include "common/private_file.hpp"
#include "dmp/encoding.hpp"
#include "output/terminal_text.hpp"
#include "qr/qr_code.hpp"
#include "qr/qr_frames.hpp"
#include "qr/qr_png.hpp"
#include "sign/key_options.hpp"
#include "sign/output_preflight.hpp"

extern char** environ;

namespace dmp::cli {
namespace {

constexpr int kTerminalMargin = 2;  // light modules around a code on a terminal
constexpr int kReservedRows = 2;    // the status line and the cursor's line
constexpr int kPngMaxVersion = 25;  // a 1200-byte wire in one code at level L

struct QrCommand {
  std::string input;
  std::string out_dir;
  std::string out = "-";
  std::vector<std::string> images;
  std::string camera;
  std::string helper;
  std::size_t max_frame_bytes = 0;
  double interval = 0;
  int columns = 0;
  int rows = 0;
  bool svg = false;
};

Result<std::string> read_payload(const std::string& path) {
  auto read = path == "-" ? read_stdin_capped("-", qr::kMaxPayloadLen + 1)
                          : read_file_capped(path, qr::kMaxPayloadLen + 1);
  if (!read) return fail(Reason::io_error, read.error().field, read.error().rule);
  if (read->over_cap) return fail(Reason::too_long, path, "larger than 64 KiB");
  if (read->bytes.empty()) return fail(Reason::invalid_field, path, "is empty");
  // What crosses the gap is public (a wire, a draft); a key, a seed or the
  // ledger on a screen is one photograph away from leaving the laptop.
  if (const auto secret =
          guarded_text(std::string_view(read->bytes).substr(0, kGuardedHeadLen), false)) {
    return fail(Reason::invalid_field, path,
                "holds " + *secret + "; it is never shown as a QR code");
  }
  return std::move(read->bytes);
}

// --- show -----------------------------------------------------------------------------

struct TerminalSize {
  int columns = 80;
  int rows = 24;
};

TerminalSize terminal_size(int columns, int rows) {
  TerminalSize size;
  winsize ws{};
  if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0 && ws.ws_row > 0) {
    size.columns = ws.ws_col;
    size.rows = ws.ws_row;
  }
  if (columns > 0) size.columns = columns;
  if (rows > 0) size.rows = rows;
  return size;
}

// Raw keys from the terminal while frames are shown; restored on return.
class RawKeys {
 public:
  RawKeys() {
    if (::isatty(STDIN_FILENO) != 1 || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    // ISIG off too: Ctrl-C arrives as byte 3 and ends the loop, so the
    // destructor gives the terminal its settings back.
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawKeys() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawKeys(const RawKeys&) = delete;
  RawKeys& operator=(const RawKeys&) = delete;
  bool active() const { return active_; }
  // A key within `timeout_ms` (-1: wait), or 0 on timeout, -1 on end of input.
  int key(int timeout_ms) const {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0) return 0;
    unsigned char ch = 0;
    if (ready < 0 || ::read(STDIN_FILENO, &ch, 1) != 1) return -1;
    return ch;
  }

 private:
  termios saved_{};
  bool active_ = false;
};

std::string status_line(std::size_t index, std::size_t total, const std::string& digest,
                        std::size_t bytes, bool interactive, bool animated) {
  std::string line = total == 1 ? "the whole payload in one code"
                                : "frame " + std::to_string(index) + " of " + std::to_string(total);
  line += " | " + std::to_string(bytes) + " bytes, sha256 " + digest.substr(0, 16) + "...";
  if (interactive) {
    line += animated ? " | q: stop"
                     : (index < total ? " | Enter/space: next, q: stop" : " | Enter/q: done");
  }
  return line;
}

Result<int> version_for_terminal(const QrShowOptions& options) {
  const TerminalSize size = terminal_size(options.columns, options.rows);
  const int version =
      qr::largest_version_for(size.columns, size.rows, kReservedRows, kTerminalMargin);
  if (version == 0) {
    return fail(Reason::usage, "terminal",
                std::to_string(size.columns) + "x" + std::to_string(size.rows) +
                    " is too small for a QR code (at least 25 columns and 15 rows)");
  }
  return version;
}

}  // namespace

Status check_qr_display(const QrShowOptions& options) {
  auto version = version_for_terminal(options);
  if (!version) return version.error();
  return ok();
}

Status show_as_qr(std::string_view payload, const QrShowOptions& options) {
  if (payload.empty()) return fail(Reason::invalid_field, "payload", "is empty");
  auto fitting = version_for_terminal(options);
  if (!fitting) return fitting.error();
  const int version = *fitting;
  auto frames = qr::frames_for(payload, version, options.max_frame_bytes);
  if (!frames) return frames.error();
  std::vector<qr::Code> codes;
  for (const std::string& frame : *frames) {
    auto code = qr::encode_frame(frame, version);
    if (!code) return code.error();
    codes.push_back(std::move(*code));
  }
  const std::string digest = qr::payload_digest(payload);
  RawKeys keys;
  const bool interactive = keys.active() && ::isatty(STDOUT_FILENO) == 1;
  const bool animated = interactive && options.interval > 0 && codes.size() > 1;
  const int interval_ms = static_cast<int>(options.interval * 1000);
  for (std::size_t i = 0;; ++i) {
    const std::size_t at = i % codes.size();
    // The screen is cleared between frames only on a terminal; a pipe or a
    // file gets the frames one after another.
    std::string screen = interactive ? "\x1b[H\x1b[2J" : "";
    screen += qr::half_block_text(codes[at], kTerminalMargin);
    screen += status_line(at + 1, codes.size(), digest, payload.size(), interactive, animated);
    screen += interactive ? "" : "\n";
    std::fputs(screen.c_str(), stdout);
    std::fflush(stdout);
    if (!interactive) {
      if (at + 1 == codes.size()) break;
      continue;
    }
    const int key = keys.key(animated ? interval_ms : -1);
    if (key == 'q' || key == 'Q' || key == 3 || key == -1) break;
    if (!animated && at + 1 == codes.size()) break;
  }
  if (interactive) std::fputs("\n", stdout);
  return ok();
}

namespace {

Status run_show(const QrCommand& c) {
  auto payload = read_payload(c.input);
  if (!payload) return payload.error();
  return show_as_qr(*payload, QrShowOptions{c.max_frame_bytes, c.interval, c.columns, c.rows});
}

// --- png ------------------------------------------------------------------------------

Status run_png(const QrCommand& c) {
  auto payload = read_payload(c.input);
  if (!payload) return payload.error();
  auto frames = qr::frames_for(*payload, kPngMaxVersion, c.max_frame_bytes);
  if (!frames) return frames.error();
  struct stat st {};
  if (::stat(c.out_dir.c_str(), &st) != 0) {
    if (::mkdir(c.out_dir.c_str(), 0755) != 0) {
      return fail(Reason::io_error, c.out_dir,
                  std::string("cannot create: ") + std::strerror(errno));
    }
  } else if (!S_ISDIR(st.st_mode)) {
    return fail(Reason::output_refused, c.out_dir, "is not a directory");
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < frames->size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "frame-%03zu", i + 1);
    names.push_back(c.out_dir + "/" + name);
  }
  std::vector<std::string> outputs;
  for (const std::string& name : names) {
    outputs.push_back(name + ".png");
    if (c.svg) outputs.push_back(name + ".svg");
  }
  std::vector<ProtectedFile> inputs;
  if (c.input != "-") inputs.push_back({c.input, "the input file"});
  const auto state = resolve_state_dir("");
  if (auto preflight = preflight_outputs(OutputTargets{outputs, inputs, state ? *state : ""});
      !preflight) {
    return preflight;
  }
  for (std::size_t i = 0; i < frames->size(); ++i) {
    auto code = qr::encode_frame((*frames)[i], kPngMaxVersion);
    if (!code) return code.error();
    auto png = qr::png_bytes(*code, qr::scale_for(*code));
    if (!png) return png.error();
    if (auto written = publish_file(names[i] + ".png", *png); !written) return written;
    if (c.svg) {
      const std::string svg = qr::svg_text(*code);
      if (auto written = publish_file(
              names[i] + ".svg",
              std::span(reinterpret_cast<const std::uint8_t*>(svg.data()), svg.size()));
          !written)
        return written;
    }
    std::printf(
        "%s.png%s  %s, QR version %d\n", output::terminal_safe(names[i]).c_str(),
        c.svg ? " (.svg)" : "",
        frames->size() == 1
            ? "the whole payload"
            : ("frame " + std::to_string(i + 1) + " of " + std::to_string(frames->size())).c_str(),
        code->version);
  }
  std::fprintf(stderr, "dmp-sign: %zu bytes in %zu code(s), sha256 %s...\n", payload->size(),
               frames->size(), qr::payload_digest(*payload).substr(0, 16).c_str());
  return ok();
}

// --- scan -----------------------------------------------------------------------------

// The helper, started with its standard output on a pipe; stopped (if still
// running) and reaped when this goes away.
class ScanHelper {
 public:
  static Result<std::unique_ptr<ScanHelper>> start(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return fail(Reason::io_error, "pipe", std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (spawned != 0) {
      ::close(fds[0]);
      return fail(Reason::io_error, argv[0],
                  std::string("cannot start: ") + std::strerror(spawned));
    }
    auto helper = std::unique_ptr<ScanHelper>(new ScanHelper(pid, ::fdopen(fds[0], "r")));
    return helper;
  }
  ~ScanHelper() {
    if (out_) std::fclose(out_);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  ScanHelper(const ScanHelper&) = delete;
  ScanHelper& operator=(const ScanHelper&) = delete;

  // The next line without its newline; nullopt at the end. Lines over the
  // cap (a 64 KiB payload in hex, and a little) are a protocol error.
  Result<std::optional<std::string>> next_line() {
    std::string line;
    for (int ch; (ch = std::fgetc(out_)) != EOF;) {
      if (ch == '\n') return std::optional<std::string>(std::move(line));
      if (line.size() > 2 * qr::kMaxPayloadLen + 16) {
        return fail(Reason::helper_protocol, "dmp-sign-qrscan", "sent a line too long");
      }
      line += static_cast<char>(ch);
    }
    if (!line.empty()) return fail(Reason::helper_protocol, "dmp-sign-qrscan", "cut a line short");
    return std::optional<std::string>();
  }

 private:
  ScanHelper(pid_t pid, FILE* out) : pid_(pid), out_(out) {}
  pid_t pid_;
  FILE* out_;
};

Result<std::string> unhex(std::string_view hex) {
  auto bytes = encoding::hex_decode(hex, "dmp-sign-qrscan");
  if (!bytes)
    return fail(Reason::helper_protocol, "dmp-sign-qrscan", "sent a code that is not hex");
  return std::string(bytes->begin(), bytes->end());
}

std::string missing_text(const std::vector<std::size_t>& missing) {
  std::string out;
  for (std::size_t i = 0; i < missing.size() && i < 20; ++i)
    out += (i ? ", " : "") + std::to_string(missing[i]);
  if (missing.size() > 20) out += ", ...";
  return out;
}

Status run_scan(const QrCommand& c) {
  if (c.images.empty() == c.camera.empty()) {
    return fail(Reason::usage, "",
                c.images.empty() ? "give IMAGE files or --camera /dev/videoN"
                                 : "give IMAGE files or --camera, not both");
  }
  std::vector<ProtectedFile> inputs;
  for (const std::string& image : c.images)
    inputs.push_back({image, "an input image"});
  if (c.out != "-") {
    // Never over a key, seed or ledger file, nor into this laptop's state
    // directory (its ledger, head and lock).
    const auto state = resolve_state_dir("");
    if (auto preflight = preflight_outputs(OutputTargets{{c.out}, inputs, state ? *state : ""});
        !preflight) {
      return preflight;
    }
  }
  auto path = find_helper("dmp-sign-qrscan", c.helper);
  if (!path) return path.error();
  std::vector<std::string> argv{*path};
  if (!c.camera.empty()) {
    argv.insert(argv.end(), {"--camera", c.camera});
  } else {
    argv.push_back("--");  // an image named like an option stays an image
    argv.insert(argv.end(), c.images.begin(), c.images.end());
  }
  auto helper = ScanHelper::start(argv);
  if (!helper) return helper.error();
  qr::FrameCollector frames;
  std::size_t reported = 0;
  // From images, every code is read, so that a code of another payload
  // after the set is complete is refused too; a camera stops once the set
  // is complete.
  const bool camera = !c.camera.empty();
  while (!camera || !frames.complete()) {
    auto line = (*helper)->next_line();
    if (!line) return line.error();
    if (!*line) break;
    const std::string& text = **line;
    if (text.rfind("E ", 0) == 0) {
      std::fprintf(stderr, "dmp-sign: %s\n", output::terminal_safe(text.substr(2)).c_str());
      continue;
    }
    if (text.rfind("S ", 0) != 0) {
      return fail(Reason::helper_protocol, "dmp-sign-qrscan", "sent an unknown line");
    }
    auto content = unhex(std::string_view(text).substr(2));
    if (!content) return content.error();
    auto frame = qr::parse_frame(*content);
    if (!frame) return frame.error();
    if (auto added = frames.add(*frame); !added) return added;
    if (frames.have() != reported && frames.total() > 1) {
      reported = frames.have();
      std::fprintf(stderr, "dmp-sign: %zu of %zu frames (payload sha256 %s...)\n", frames.have(),
                   frames.total(), frames.digest().substr(0, 16).c_str());
    }
  }
  if (frames.total() == 0) return fail(Reason::malformed, "scan", "no QR code was read");
  if (!frames.complete()) {
    return fail(Reason::malformed, "scan",
                std::to_string(frames.have()) + " of " + std::to_string(frames.total()) +
                    " frames read; missing frame(s) " + missing_text(frames.missing()) +
                    ": scan them too");
  }
  auto payload = frames.payload();
  if (!payload) return payload.error();
  helper->reset();  // stops a camera helper
  std::fprintf(stderr, "dmp-sign: read %zu bytes (sha256 %s...)\n", payload->size(),
               qr::payload_digest(*payload).substr(0, 16).c_str());
  if (c.out == "-" && ::isatty(STDOUT_FILENO) == 1) {
    // For a person: through the renderer (a code is anyone's input, and
    // could set the window title or clear the screen). Pipes and files get
    // the bytes as they are.
    std::string shown = output::terminal_safe_lines(*payload);
    if (!shown.empty() && shown.back() != '\n') shown += '\n';
    std::fputs(shown.c_str(), stdout);
    return std::fflush(stdout) == 0 ? ok()
                                    : fail(Reason::io_error, "standard output", "write failed");
  }
  if (c.out == "-") {
    std::fwrite(payload->data(), 1, payload->size(), stdout);
    return std::fflush(stdout) == 0 ? ok()
                                    : fail(Reason::io_error, "standard output", "write failed");
  }
  return publish_file(
      c.out, std::span(reinterpret_cast<const std::uint8_t*>(payload->data()), payload->size()));
}

}  // namespace

void add_qr_commands(CLI::App& app, std::function<Status()>& run) {
  auto c = std::make_shared<QrCommand>();
  auto* group = app.add_subcommand(
      "qr", "carry a wire or a draft across the air gap as QR codes: show, png, scan");
  group->require_subcommand(1);
  auto* show = group->add_subcommand("show", "show a file as QR codes on this terminal");
  show->add_option("input", c->input, "the file, or - for standard input")->required();
  show->add_option("--max-frame-bytes", c->max_frame_bytes,
                   "at most this many payload bytes per code (more, smaller codes)")
      ->check(CLI::PositiveNumber);
  show->add_option("--interval", c->interval,
                   "seconds per frame, cycling (animated for a phone or camera); default: a key "
                   "for the next")
      ->check(CLI::PositiveNumber);
  show->add_option("--columns", c->columns, "the terminal's width (default: asked of it)")
      ->check(CLI::Range(1, 10000));
  show->add_option("--rows", c->rows, "the terminal's height (default: asked of it)")
      ->check(CLI::Range(1, 10000));
  show->callback([&run, c] { run = [c] { return run_show(*c); }; });

  auto* png = group->add_subcommand("png", "write a file as QR code images, one per frame");
  png->add_option("input", c->input, "the file, or - for standard input")->required();
  png->add_option("--out-dir", c->out_dir, "the directory for frame-NNN.png (created if missing)")
      ->required();
  png->add_option("--max-frame-bytes", c->max_frame_bytes,
                  "at most this many payload bytes per code")
      ->check(CLI::PositiveNumber);
  png->add_flag("--svg", c->svg, "also write frame-NNN.svg");
  png->callback([&run, c] { run = [c] { return run_png(*c); }; });

  auto* scan = group->add_subcommand(
      "scan", "read QR codes (frames in any order) from images or a camera; write the payload");
  scan->add_option("images", c->images, "PNG images");
  scan->add_option("--camera", c->camera, "a V4L2 camera, e.g. /dev/video0 (until all frames)");
  scan->add_option("--out", c->out, "the payload file (written atomically), or - (default)");
  scan->add_option("--helper", c->helper, "the dmp-sign-qrscan helper (default: beside dmp-sign)");
  scan->callback([&run, c] { run = [c] { return run_scan(*c); }; });
  group->footer(
      "Examples:\n"
      "  dmp-sign qr show next.json                 # online machine -> laptop camera\n"
      "  dmp-sign qr scan --camera /dev/video0 --out next.json\n"
      "  dmp-sign qr png cluster.wire --out-dir qr/ && dmp-sign qr scan qr/*.png --out x.wire");
}

}  // namespace dmp::cli
