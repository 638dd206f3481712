#include "sign/backup_commands.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backup/share_sheet.hpp"
#include "backup/slip39.hpp"
#include "common/cli_conventions.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/file_key.hpp"
#include "keyfile/key_access.hpp"
#include "keyfile/key_store.hpp"
#include "output/terminal_text.hpp"
#include "qr/qr_code.hpp"
#include "qr/qr_png.hpp"
#include "sign/fault_injection.hpp"
#include "sign/key_commands.hpp"
#include "sign/key_options.hpp"

namespace dmp::cli {
namespace {

namespace slip39 = backup::slip39;
using hsm::SecretBuffer;

// An Ed25519 seed: the only master secret these shares ever carry (33 words).
constexpr std::size_t kSeedLen = 32;
constexpr std::size_t kSeedShareWords = 33;
constexpr int kMaxQrVersion = 40;

std::string_view text_of(const SecretBuffer& buffer) {
  return {reinterpret_cast<const char*>(buffer.data()), buffer.size()};
}

std::string today_utc() {
  return format_rfc3339_utc(static_cast<std::uint64_t>(std::time(nullptr))).substr(0, 10);
}

// --- the SLIP-39 passphrase ------------------------------------------------------

struct Slip39PassphraseOptions {
  bool ask = false;
  std::string file;
};

void add_slip39_passphrase_options(CLI::App& cmd, Slip39PassphraseOptions& o, bool creating) {
  auto* ask = cmd.add_flag("--slip39-passphrase", o.ask,
                           creating ? "encrypt the shares with a SLIP-39 passphrase, asked twice "
                                      "on the terminal (default: the empty passphrase, which the "
                                      "standard's tools assume)"
                                    : "the shares were made with a SLIP-39 passphrase: ask for it "
                                      "on the terminal (default: the empty passphrase)");
  auto* file =
      cmd.add_option("--slip39-passphrase-file", o.file,
                     "read the SLIP-39 passphrase from the first line of FILE (mode 0600)");
  ask->excludes(file);
}

// Empty unless asked for: SLIP-39's default, and nothing is prompted.
Result<SecretBuffer> read_slip39_passphrase(const Slip39PassphraseOptions& o, bool creating) {
  if (!o.ask && o.file.empty()) return SecretBuffer(0);
  PassphraseSource source;
  if (!o.file.empty()) source.file = o.file;
  return read_passphrase(source, "SLIP-39 passphrase: ",
                         creating ? PassphrasePurpose::create : PassphrasePurpose::unlock);
}

// --- the layout of a split -------------------------------------------------------

// What the operator asked for. A group "1ofN" (one of N holders suffices)
// is split as the standard wants it, 1-of-1, and its one share written on N
// identical sheets: SLIP-39 refuses 1-of-N member shares, which would be
// copies of one share differing in a word only.
struct Layout {
  int group_threshold = 1;
  std::vector<slip39::GroupSpec> groups;  // as asked
  std::string describe() const;
  std::vector<slip39::GroupSpec> for_split() const {
    std::vector<slip39::GroupSpec> out = groups;
    for (auto& g : out)
      if (g.member_threshold == 1) g.member_count = 1;
    return out;
  }
};

std::string Layout::describe() const {
  std::string text;
  if (groups.size() == 1) {
    return std::to_string(groups[0].member_threshold) + " of " +
           std::to_string(groups[0].member_count) + " shares";
  }
  bool all_single = true;
  for (const auto& g : groups)
    all_single = all_single && g.member_count == 1;
  if (all_single) {
    return std::to_string(group_threshold) + " of " + std::to_string(groups.size()) + " shares";
  }
  text = std::to_string(group_threshold) + " of " + std::to_string(groups.size()) + " groups (";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(groups[i].member_threshold) + " of " +
            std::to_string(groups[i].member_count);
  }
  return text + ")";
}

Status check_threshold(int threshold, int count, const std::string& field) {
  if (count < 1 || count > slip39::kMaxShareCount) {
    return fail(Reason::usage, field,
                std::to_string(count) + " shares: SLIP-39 makes 1 to 16 shares per group");
  }
  if (threshold < 1) {
    return fail(Reason::usage, field, "the threshold must be at least 1");
  }
  if (threshold > count) {
    return fail(Reason::usage, field,
                "threshold " + std::to_string(threshold) + " is more than the " +
                    std::to_string(count) + " shares: no set of shares could restore the key");
  }
  return ok();
}

// "2of3": member threshold and count.
Result<slip39::GroupSpec> parse_group(const std::string& text) {
  const std::size_t of = text.find("of");
  int threshold = 0, count = 0;
  std::size_t used_t = 0, used_c = 0;
  try {
    if (of == std::string::npos || of == 0) throw std::invalid_argument(text);
    threshold = std::stoi(text.substr(0, of), &used_t);
    count = std::stoi(text.substr(of + 2), &used_c);
  } catch (const std::exception&) {
    return fail(Reason::usage, "--group " + text, "write a group as TofN, e.g. 2of3");
  }
  if (used_t != of || used_c != text.size() - of - 2) {
    return fail(Reason::usage, "--group " + text, "write a group as TofN, e.g. 2of3");
  }
  if (auto rule = check_threshold(threshold, count, "--group " + text); !rule) return rule.error();
  return slip39::GroupSpec{threshold, count};
}

// --threshold T --shares N, or --group TofN... --group-threshold G. A
// threshold of 1 is N groups of one share each (the standard refuses 1-of-N
// member shares, which would differ in one word only), 1 of them needed.
Result<Layout> layout_of(int threshold, int shares, const std::vector<std::string>& groups,
                         int group_threshold) {
  Layout layout;
  if (groups.empty()) {
    if (threshold == 0 || shares == 0) {
      return fail(Reason::usage, "backup split",
                  "give --threshold T --shares N, or --group TofN (repeated) with "
                  "--group-threshold G");
    }
    if (auto rule = check_threshold(threshold, shares, "--threshold"); !rule) return rule.error();
    if (threshold == 1) {
      layout.group_threshold = 1;
      layout.groups.assign(static_cast<std::size_t>(shares), slip39::GroupSpec{1, 1});
    } else {
      layout.groups.push_back({threshold, shares});
    }
    return layout;
  }
  if (threshold != 0 || shares != 0) {
    return fail(Reason::usage, "--group", "--group and --threshold/--shares do not mix");
  }
  for (const std::string& text : groups) {
    auto group = parse_group(text);
    if (!group) return group.error();
    layout.groups.push_back(*group);
  }
  const int count = static_cast<int>(layout.groups.size());
  layout.group_threshold = group_threshold == 0 && count == 1 ? 1 : group_threshold;
  if (count > slip39::kMaxShareCount) {
    return fail(Reason::usage, "--group", std::to_string(count) + " groups: at most 16");
  }
  if (layout.group_threshold < 1 || layout.group_threshold > count) {
    return fail(Reason::usage, "--group-threshold",
                "must be 1 to the number of groups (" + std::to_string(count) + ")");
  }
  return layout;
}

// True when one share alone, or one group of single shares, restores the key.
bool single_share_restores(const Layout& layout) {
  if (layout.group_threshold != 1) return false;
  for (const auto& g : layout.groups) {
    if (g.member_threshold == 1) return true;
  }
  return false;
}

// --- the terminal ----------------------------------------------------------------

// /dev/tty for prompts and typed words, which are secret: read into guarded
// memory, never through stdio buffers.
class Terminal {
 public:
  static std::optional<Terminal> open() {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    return Terminal(fd);
  }
  Terminal(Terminal&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Terminal(const Terminal&) = delete;
  ~Terminal() {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(std::string_view text) const {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // One line without its newline (at most 4 KiB, the rest dropped); nullopt
  // at end of input.
  std::optional<SecretBuffer> read_line() const {
    SecretBuffer line(4096);
    std::size_t used = 0;
    bool any = false;
    char c = 0;
    while (true) {
      const ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!any) return std::nullopt;
        break;
      }
      any = true;
      if (c == '\n') break;
      if (used < line.size()) line.data()[used++] = static_cast<std::uint8_t>(c);
    }
    sodium_memzero(&c, sizeof c);
    if (used > 0 && line.data()[used - 1] == '\r') --used;
    line.truncate(used);
    return line;
  }

 private:
  explicit Terminal(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Clears the screen and its scrollback: a share shown with --print must not
// stay readable above the next one.
constexpr std::string_view kClearScreen = "\033[H\033[2J\033[3J";

// --- unlocking the key -----------------------------------------------------------

struct UnlockedSeed {
  SecretBuffer seed;
  PublicKey public_key{};
};

Result<UnlockedSeed> unlock_seed(const KeyOptions& key, const HelperOptions& helpers) {
  auto unlocked = keyfile::unlock_seed_key(key.key, to_key_access(key, helpers));
  if (!unlocked) return unlocked.error();
  const SecretBuffer& seed = (*unlocked)->seed();
  UnlockedSeed out{SecretBuffer(seed.size()), (*unlocked)->public_key()};
  std::memcpy(out.seed.data(), seed.data(), seed.size());
  return out;
}

// --- split -----------------------------------------------------------------------

struct SplitOptions {
  KeyOptions key;
  HelperOptions helpers;
  int threshold = 0;
  int shares = 0;
  std::vector<std::string> groups;
  int group_threshold = 0;
  std::string out_dir;
  bool print = false;
  bool no_png = false;
  int iteration_exponent = slip39::kDefaultIterationExponent;
  Slip39PassphraseOptions slip39_passphrase;
};

// Every share's mnemonic must decode to itself, and a threshold of them must
// give the seed back, before a sheet exists: a split that does not restore is
// worse than none.
Status self_check(const std::vector<std::vector<slip39::Share>>& shares, const Layout& layout,
                  const SecretBuffer& seed, std::span<const std::uint8_t> passphrase) {
  for (const auto& group : shares) {
    for (const auto& share : group) {
      auto mnemonic = slip39::encode_mnemonic(share);
      if (!mnemonic) return mnemonic.error();
      auto decoded = slip39::decode_mnemonic(text_of(*mnemonic));
      if (!decoded || !decoded->value.equals(share.value)) {
        return fail(Reason::io_error, "backup split",
                    "a share did not decode to itself in the self-check; nothing written");
      }
    }
  }
  std::vector<slip39::Share> chosen;
  int groups_taken = 0;
  for (std::size_t g = 0; g < shares.size() && groups_taken < layout.group_threshold; ++g) {
    if (shares[g].size() < static_cast<std::size_t>(layout.groups[g].member_threshold)) continue;
    for (int m = 0; m < layout.groups[g].member_threshold; ++m) {
      auto mnemonic = slip39::encode_mnemonic(shares[g][static_cast<std::size_t>(m)]);
      if (!mnemonic) return mnemonic.error();
      auto decoded = slip39::decode_mnemonic(text_of(*mnemonic));
      if (!decoded) return decoded.error();
      chosen.push_back(std::move(*decoded));
    }
    ++groups_taken;
  }
  auto restored = slip39::combine(chosen, passphrase);
  if (!restored || !restored->equals(seed)) {
    return fail(Reason::io_error, "backup split",
                "the shares did not restore the key in the self-check; nothing written");
  }
  return ok();
}

// Temporary directories of an interrupted split beside `dir` hold share
// sheets: say so every time, until someone shreds them.
void warn_about_leftovers(const std::string& dir) {
  const std::filesystem::path target(dir);
  const std::filesystem::path parent =
      target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  const std::string prefix = "." + target.filename().string() + ".tmp-";
  std::error_code ignored;
  for (const auto& e : std::filesystem::directory_iterator(parent, ignored)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) {
      std::fprintf(stderr,
                   "dmp-sign: warning: %s is left from an interrupted backup split and holds "
                   "share sheets: shred it (shred -u %s/*; rmdir %s)\n",
                   output::terminal_safe(e.path().string()).c_str(),
                   output::terminal_safe(e.path().string()).c_str(),
                   output::terminal_safe(e.path().string()).c_str());
    }
  }
}

Status check_new_directory(const std::string& dir) {
  if (dir.empty()) return fail(Reason::usage, "--out-dir", "give a directory");
  warn_about_leftovers(dir);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) == 0) {
    return fail(Reason::already_exists, dir,
                "already exists; the shares go into a new directory (made mode 0700)");
  }
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  const std::string parent_dir = parent.empty() ? "." : parent.string();
  if (::stat(parent_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return fail(Reason::output_refused, dir,
                "its parent " + parent_dir + " is not a directory; create it first");
  }
  return ok();
}

// A QR code of the share, upper case: the QR alphanumeric alphabet holds
// A-Z and space, which makes the code smaller, and the words read the same.
Result<std::vector<std::uint8_t>> share_png(std::string_view mnemonic) {
  SecretBuffer upper(mnemonic.size());
  for (std::size_t i = 0; i < mnemonic.size(); ++i) {
    const char c = mnemonic[i];
    upper.data()[i] = static_cast<std::uint8_t>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  auto code = qr::encode_frame(text_of(upper), kMaxQrVersion);
  if (!code) return code.error();
  auto png = qr::png_bytes(*code, qr::scale_for(*code));
  // The module bits are the share too; wipe them (the encoder's own
  // temporaries are beyond reach, see SECURITY.md).
  for (std::size_t i = 0; i < code->dark.size(); ++i)
    code->dark[i] = false;
  return png;
}

void wipe(std::vector<std::uint8_t>& bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

struct SheetOut {
  std::string name;
  SecretBuffer text;
  std::vector<std::uint8_t> png;  // empty: none
};

// The set appears whole or not at all: the sheets are written into a
// temporary directory beside `dir` (mkdtemp: 0700), which is renamed to
// `dir` only when every sheet is durable, and never over anything that
// appeared at `dir` meanwhile (RENAME_NOREPLACE). An error removes the
// temporary; a crash leaves it (".<dir>.tmp-XXXXXX", 0700, holding sheets:
// the summary of `backup split` says where, and it must be shredded).
Status write_sheets(const std::string& dir, std::vector<SheetOut>& sheets) {
  const std::filesystem::path target(dir);
  const std::string parent =
      target.parent_path().empty() ? std::string(".") : target.parent_path().string();
  std::string temp = parent + "/." + target.filename().string() + ".tmp-XXXXXX";
  if (::mkdtemp(temp.data()) == nullptr) {
    return fail(Reason::io_error, dir,
                std::string("cannot create a directory beside it: ") + std::strerror(errno));
  }
  // 0700 whatever the umask (mkdtemp's 0700 is masked by it).
  if (::chmod(temp.c_str(), 0700) != 0) {
    const int err = errno;
    ::rmdir(temp.c_str());
    return fail(Reason::io_error, dir, std::string("cannot chmod 0700: ") + std::strerror(err));
  }
  std::vector<std::string> written;
  const auto undo = [&] {
    for (const auto& path : written)
      ::unlink(path.c_str());
    ::rmdir(temp.c_str());
  };
  for (SheetOut& sheet : sheets) {
    const std::string txt = temp + "/" + sheet.name + ".txt";
    if (auto done = create_private_file(txt, sheet.text.span()); !done) {
      undo();
      return done;
    }
    written.push_back(txt);
    crash_point("sheet_written");
    if (!sheet.png.empty()) {
      const std::string png = temp + "/" + sheet.name + ".png";
      auto done = create_private_file(png, sheet.png);
      wipe(sheet.png);
      if (!done) {
        undo();
        return done;
      }
      written.push_back(png);
    }
  }
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    undo();
    return fail(err == EEXIST ? Reason::already_exists : Reason::io_error, dir,
                std::string("cannot put the sheets in place: ") + std::strerror(err));
  }
  const int parent_fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd >= 0) {
    ::fsync(parent_fd);
    ::close(parent_fd);
  }
  return ok();
}

Status print_sheets(std::vector<SheetOut>& sheets) {
  auto terminal = Terminal::open();
  if (!terminal || ::isatty(STDIN_FILENO) != 1) {
    return fail(Reason::usage, "--print", "needs a terminal; use --out-dir to write sheets");
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    terminal->write(kClearScreen);
    terminal->write("dmp-sign: share " + std::to_string(i + 1) + " of " +
                    std::to_string(sheets.size()) + " (" + sheets[i].name + ")\n\n");
    // The sheet is our own ASCII text, but every byte to a terminal goes
    // through the one escaping renderer.
    std::string shown = output::terminal_safe_lines(text_of(sheets[i].text));
    terminal->write(shown);
    sodium_memzero(shown.data(), shown.size());
    terminal->write("\nWrite it down, then press Enter for the " +
                    std::string(i + 1 < sheets.size() ? "next share" : "end") + ". ");
    const auto answer = terminal->read_line();
    if (!answer) {
      terminal->write(kClearScreen);
      return fail(Reason::not_confirmed, "--print", "input ended before every share was shown");
    }
  }
  terminal->write(kClearScreen);
  return ok();
}

Status run_split(SplitOptions o) {
  // "shares/" names the directory "shares" (std::filesystem would see an
  // empty last component).
  while (o.out_dir.size() > 1 && o.out_dir.back() == '/')
    o.out_dir.pop_back();
  auto layout = layout_of(o.threshold, o.shares, o.groups, o.group_threshold);
  if (!layout) return layout.error();
  if (o.print == !o.out_dir.empty()) {
    return fail(Reason::usage, "backup split", "give exactly one of --out-dir DIR and --print");
  }
  if (!o.print) {
    if (auto fresh = check_new_directory(o.out_dir); !fresh) return fresh;
  }
  auto key = unlock_seed(o.key, o.helpers);
  if (!key) return key.error();
  if (key->seed.size() != kSeedLen) {
    return fail(Reason::key_format, o.key.key, "the key's seed is not 32 bytes");
  }
  auto passphrase = read_slip39_passphrase(o.slip39_passphrase, true);
  if (!passphrase) return passphrase.error();
  slip39::SplitOptions options;
  options.iteration_exponent = o.iteration_exponent;
  auto shares = slip39::split(key->seed.span(), passphrase->span(), layout->group_threshold,
                              layout->for_split(), options);
  if (!shares) return shares.error();
  if (auto checked = self_check(*shares, *layout, key->seed, passphrase->span()); !checked) {
    return checked;
  }

  backup::SheetFacts base;
  base.public_key = key->public_key;
  base.fingerprint = hsm::fingerprint(key->public_key);
  base.date = today_utc();
  std::vector<SheetOut> sheets;
  for (std::size_t g = 0; g < shares->size(); ++g) {
    const int asked = layout->groups[g].member_count;
    for (const auto& share : (*shares)[g]) {
      auto mnemonic = slip39::encode_mnemonic(share);
      if (!mnemonic) return mnemonic.error();
      // A 1-of-N group: N copies of its one share, share-G-1.txt first.
      const int copies = share.member_threshold == 1 ? asked : 1;
      for (int copy = 1; copy <= copies; ++copy) {
        SheetOut sheet;
        sheet.name = backup::sheet_file_name(share, "");
        sheet.name.pop_back();  // "share-1-2"
        if (copy > 1) sheet.name += "-copy" + std::to_string(copy);
        backup::SheetFacts facts = base;
        if (copies > 1) {
          facts.copy_note = "copy " + std::to_string(copy) + " of " + std::to_string(copies) +
                            " of the group's one share (any one copy is the group)";
        }
        if (!o.print && !o.no_png) {
          auto png = share_png(text_of(*mnemonic));
          if (!png) return png.error();
          sheet.png = std::move(*png);
          facts.png_name = sheet.name + ".png";
        }
        sheet.text = backup::format_share_sheet(share, text_of(*mnemonic), facts);
        sheets.push_back(std::move(sheet));
      }
    }
  }
  if (single_share_restores(*layout)) {
    std::fprintf(stderr,
                 "dmp-sign: warning: a threshold of 1: a single share restores the key, so each "
                 "sheet is as secret as the key file itself\n");
  }
  Status done = o.print ? print_sheets(sheets) : write_sheets(o.out_dir, sheets);
  for (SheetOut& sheet : sheets)
    wipe(sheet.png);
  if (!done) return done;

  const std::string hex = encoding::hex_encode(key->public_key);
  std::printf("split key %s (%s) into %zu SLIP-39 shares: %s\n",
              hsm::fingerprint(key->public_key).c_str(), hex.c_str(), sheets.size(),
              layout->describe().c_str());
  if (!o.print) {
    for (const SheetOut& sheet : sheets) {
      std::printf("  %s/%s.txt%s\n", output::terminal_safe(o.out_dir).c_str(), sheet.name.c_str(),
                  o.no_png ? "" : " (+ .png)");
    }
  }
  std::printf(
      "next: give each holder one sheet, then run the drill:\n"
      "  dmp-sign backup check --expect-public %s --share-file SHEET...\n",
      hex.c_str());
  return ok();
}

// --- collecting shares (restore, check) -------------------------------------------

// The shares given so far, checked one by one as they come so that a sheet
// of another set, a duplicate or a mistyped share is named at once, and the
// exact subset combine needs once enough have come.
class ShareCollector {
 public:
  Status add(slip39::Share share, const std::string& source) {
    if (!shares_.empty()) {
      const slip39::Share& first = shares_.front();
      if (share.identifier != first.identifier || share.extendable != first.extendable ||
          share.group_threshold != first.group_threshold ||
          share.group_count != first.group_count) {
        return fail(Reason::key_format, source,
                    "from another set of shares (identifier " + std::to_string(share.identifier) +
                        ", not " + std::to_string(first.identifier) + ")");
      }
      if (share.iteration_exponent != first.iteration_exponent) {
        return fail(Reason::key_format, source,
                    "mixed iteration exponents (" + std::to_string(share.iteration_exponent) +
                        ", the first share has " + std::to_string(first.iteration_exponent) + ")");
      }
      for (const slip39::Share& other : shares_) {
        if (other.group_index == share.group_index && other.member_index == share.member_index) {
          return fail(Reason::key_format, source,
                      "duplicate share: group " + std::to_string(share.group_index + 1) +
                          " member " + std::to_string(share.member_index + 1) +
                          " was given already");
        }
        if (other.group_index == share.group_index &&
            other.member_threshold != share.member_threshold) {
          return fail(Reason::key_format, source,
                      "its group's threshold differs from an earlier share of group " +
                          std::to_string(share.group_index + 1));
        }
      }
    }
    shares_.push_back(std::move(share));
    return ok();
  }

  // "group 1: 2 of 3 shares" for the group of the last share added, and the
  // groups still missing.
  std::string progress() const {
    const slip39::Share& last = shares_.back();
    std::string text = "group " + std::to_string(last.group_index + 1) + ": " +
                       std::to_string(members_of(last.group_index)) + " of " +
                       std::to_string(last.member_threshold) + " shares";
    if (last.group_threshold > 1 || last.group_count > 1) {
      text += "; groups complete: " + std::to_string(complete_groups()) + " of " +
              std::to_string(last.group_threshold);
    }
    return text;
  }

  bool complete() const {
    return !shares_.empty() && complete_groups() >= shares_.front().group_threshold;
  }

  // Exactly the member threshold of each of the first group_threshold
  // complete groups: the standard combines exactly that many.
  std::vector<const slip39::Share*> chosen() const {
    std::vector<const slip39::Share*> out;
    std::map<int, int> taken;
    int groups = 0;
    for (const slip39::Share& share : shares_) {
      if (members_of(share.group_index) < share.member_threshold) continue;
      auto [it, fresh] = taken.emplace(share.group_index, 0);
      if (fresh) {
        if (groups == share.group_threshold) continue;
        ++groups;
      }
      if (it->second == share.member_threshold) continue;
      ++it->second;
      out.push_back(&share);
    }
    return out;
  }

  std::size_t size() const { return shares_.size(); }

 private:
  int members_of(int group) const {
    int n = 0;
    for (const auto& s : shares_)
      n += s.group_index == group ? 1 : 0;
    return n;
  }
  int complete_groups() const {
    std::map<int, bool> done;
    for (const auto& s : shares_)
      done[s.group_index] = members_of(s.group_index) >= s.member_threshold;
    int n = 0;
    for (const auto& [group, complete] : done)
      n += complete ? 1 : 0;
    return n;
  }
  std::vector<slip39::Share> shares_;
};

Status add_share_file(ShareCollector& shares, const std::string& path) {
  auto text = read_private_file(path, backup::kMaxShareSheetLen + 1, "share file");
  if (!text) return text.error();
  auto mnemonic = backup::sheet_mnemonic(text->span());
  if (!mnemonic) return fail(Reason::key_format, path, mnemonic.error().rule);
  auto share = slip39::decode_mnemonic(text_of(*mnemonic));
  if (!share) return fail(Reason::key_format, path, share.error().message());
  if (auto added = shares.add(std::move(*share), path); !added) return added;
  std::fprintf(stderr, "dmp-sign: %s: %s\n", output::terminal_safe(path).c_str(),
               shares.progress().c_str());
  return ok();
}

// One share typed word by word: each word, or its first four letters, is
// checked as it comes; a whole line of words may be pasted at once. The
// checksum catches a wrong or swapped word once the share is complete, and
// the share is asked again.
Result<slip39::Share> type_share(const Terminal& terminal, std::size_t number) {
  while (true) {
    SecretBuffer mnemonic(kSeedShareWords * 9);
    std::size_t used = 0, words = 0;
    while (words < kSeedShareWords) {
      terminal.write("share " + std::to_string(number) + ", word " + std::to_string(words + 1) +
                     " of " + std::to_string(kSeedShareWords) + ": ");
      auto line = terminal.read_line();
      if (!line) return fail(Reason::not_confirmed, "backup", "input ended during a share");
      std::string_view rest = text_of(*line);
      while (!rest.empty() && words < kSeedShareWords) {
        const std::size_t start = rest.find_first_not_of(" \t");
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
        const std::string_view token = rest.substr(0, end);
        rest.remove_prefix(end);
        auto word = slip39::autocomplete(token);
        if (!word) {
          terminal.write(
              "  not a SLIP-39 word (type the word, or at least its first 4 letters); "
              "word " +
              std::to_string(words + 1) + " again\n");
          break;
        }
        if (token.size() != word->size()) terminal.write("  " + std::string(*word) + "\n");
        if (used > 0) mnemonic.data()[used++] = ' ';
        std::memcpy(mnemonic.data() + used, word->data(), word->size());
        used += word->size();
        ++words;
      }
    }
    mnemonic.truncate(used);
    auto share = slip39::decode_mnemonic(text_of(mnemonic));
    if (share) return share;
    terminal.write("  share " + std::to_string(number) + ": " + share.error().message() +
                   "; a word is wrong or two are swapped: type this share again\n");
  }
}

Result<SecretBuffer> collect_and_combine(const std::vector<std::string>& files,
                                         std::span<const std::uint8_t> passphrase) {
  ShareCollector shares;
  // Every file given is read and checked, also past the threshold: a drill
  // handed a damaged sheet or one of another set must say so, not pass.
  for (const std::string& path : files) {
    if (auto added = add_share_file(shares, path); !added) return added.error();
  }
  if (!shares.complete() && !files.empty()) {
    return fail(Reason::key_format, "--share-file",
                "not enough shares to restore the key: " + shares.progress());
  }
  if (files.empty()) {
    auto terminal = Terminal::open();
    if (!terminal) {
      return fail(Reason::usage, "--share-file",
                  "no terminal to type the shares on; give them with --share-file");
    }
    terminal->write("Type each share's words (the first 4 letters of a word are enough).\n");
    while (!shares.complete()) {
      auto share = type_share(*terminal, shares.size() + 1);
      if (!share) return share.error();
      if (auto added = shares.add(std::move(*share), "typed share"); !added) {
        terminal->write("  " + added.error().message() + "; type another share\n");
        continue;
      }
      terminal->write("  checksum ok; " + shares.progress() + "\n");
    }
  }
  // Copies for combine (the collector keeps the originals).
  std::vector<slip39::Share> chosen;
  for (const slip39::Share* share : shares.chosen()) {
    chosen.push_back(slip39::clone(*share));
  }
  auto secret = slip39::combine(chosen, passphrase);
  if (!secret) return secret.error();
  if (secret->size() != kSeedLen) {
    return fail(Reason::key_format, "shares",
                "they hold a " + std::to_string(secret->size()) +
                    "-byte secret, not an Ed25519 seed (32 bytes): not a dmp-sign backup");
  }
  return secret;
}

Result<PublicKey> pinned_key(const std::string& hex) {
  auto key = encoding::public_key_from_hex(hex, "--expect-public");
  if (!key) return fail(Reason::usage, key.error().field, key.error().rule);
  return *key;
}

// --- restore ---------------------------------------------------------------------

struct RestoreOptions {
  std::string out;
  std::vector<std::string> share_files;
  std::string expect_public;
  std::string comment;
  keyfile::KdfLevel kdf = keyfile::kDefaultKdfLevel;
  std::string passphrase_file;
  int passphrase_fd = -1;
  Slip39PassphraseOptions slip39_passphrase;
};

Status run_restore(const RestoreOptions& o) {
  std::optional<PublicKey> pin;
  if (!o.expect_public.empty()) {
    auto key = pinned_key(o.expect_public);
    if (!key) return key.error();
    pin = *key;
  }
  if (auto can = check_can_create_private_file(o.out); !can) return can;
  auto passphrase = read_slip39_passphrase(o.slip39_passphrase, false);
  if (!passphrase) return passphrase.error();
  auto seed = collect_and_combine(o.share_files, passphrase->span());
  if (!seed) return seed.error();
  const PublicKey public_key = hsm::public_key_of_seed(*seed);
  if (pin && *pin != public_key) {
    return fail(Reason::key_mismatch, "--expect-public",
                "the shares restore " + hsm::fingerprint(public_key) + " (" +
                    encoding::hex_encode(public_key) + "), not the expected key; nothing written" +
                    (o.slip39_passphrase.ask || !o.slip39_passphrase.file.empty()
                         ? " (a wrong SLIP-39 passphrase gives another key)"
                         : ""));
  }
  PassphraseSource source;
  if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
  if (o.passphrase_fd >= 0) source.fd = o.passphrase_fd;
  const std::string comment =
      o.comment.empty() ? "restored from SLIP-39 shares on " + today_utc() : o.comment;
  auto key_file =
      keyfile::write_new_key_file(o.out, *seed, source, keyfile::kdf_params(o.kdf), comment);
  if (!key_file) return key_file.error();
  std::printf("key file:    %s\n", output::terminal_safe(o.out).c_str());
  std::printf("public key:  %s\n", encoding::hex_encode(public_key).c_str());
  std::printf("fingerprint: %s\n", hsm::fingerprint(public_key).c_str());
  warn_if_cheap_kdf(o.kdf);
  if (!pin) {
    std::fprintf(stderr,
                 "dmp-sign: warning: no --expect-public: compare the public key above with "
                 "the one your clients pin before signing with this file\n");
  }
  return ok();
}

// --- check -----------------------------------------------------------------------

struct CheckOptions {
  std::vector<std::string> share_files;
  KeyOptions key;  // --key: a key-file copy to unlock instead of shares
  HelperOptions helpers;
  std::string expect_public;
  Slip39PassphraseOptions slip39_passphrase;
};

Status run_check(const CheckOptions& o) {
  if (o.expect_public.empty()) {
    return fail(Reason::usage, "--expect-public",
                "the drill compares with the key your clients pin: give it (64 hex)");
  }
  auto pin = pinned_key(o.expect_public);
  if (!pin) return pin.error();
  if (!o.key.key.empty() && !o.share_files.empty()) {
    return fail(Reason::usage, "--key", "check either shares or a key file, not both");
  }
  PublicKey restored{};
  std::string what;
  if (!o.key.key.empty()) {
    // Unlocking is the point: `pubkey` reads the public half without the
    // passphrase, which proves nothing about the sealed seed.
    auto key = unlock_seed(o.key, o.helpers);
    if (!key) return key.error();
    if (hsm::public_key_of_seed(key->seed) != key->public_key) {
      return fail(Reason::key_format, o.key.key,
                  "its seed does not give the public key it records: the copy is damaged");
    }
    restored = key->public_key;
    what = "the key file " + o.key.key;
  } else {
    auto passphrase = read_slip39_passphrase(o.slip39_passphrase, false);
    if (!passphrase) return passphrase.error();
    auto seed = collect_and_combine(o.share_files, passphrase->span());
    if (!seed) return seed.error();
    restored = hsm::public_key_of_seed(*seed);
    what = "the shares";
  }
  if (restored != *pin) {
    return fail(Reason::key_mismatch, "backup check",
                "FAILED: " + what + " restore " + hsm::fingerprint(restored) + " (" +
                    encoding::hex_encode(restored) + "), not the pinned key " +
                    hsm::fingerprint(*pin));
  }
  std::printf("backup check passed: %s restore the pinned key %s (%s)\n",
              output::terminal_safe(what).c_str(), hsm::fingerprint(*pin).c_str(),
              encoding::hex_encode(*pin).c_str());
  return ok();
}

}  // namespace

void add_backup_commands(CLI::App& app, std::function<Status()>& run) {
  auto* group = app.add_subcommand("backup", "k-of-n paper backups of the key (SLIP-39 shares)");
  group->require_subcommand(1);
  group->footer(
      "Shares are SLIP-39 mnemonics (33 words); any threshold of them restores the key, fewer\n"
      "reveal nothing. The drill (backup check) proves a backup restores. See docs/backup.md.\n"
      "Examples:\n"
      "  dmp-sign backup split --key operator.key --threshold 2 --shares 3 --out-dir shares\n"
      "  dmp-sign backup check --expect-public HEX --share-file shares/share-1-1.txt "
      "--share-file shares/share-1-3.txt\n"
      "  dmp-sign backup restore --out restored.key --expect-public HEX --share-file ...");

  auto split = std::make_shared<SplitOptions>();
  auto* cmd = group->add_subcommand("split", "split a key into SLIP-39 share sheets");
  add_key_options(*cmd, split->key, "", "", true);
  add_helper_options(*cmd, split->helpers);
  cmd->add_option("--threshold", split->threshold, "shares needed to restore (1 to --shares)");
  cmd->add_option("--shares", split->shares, "shares to make (1 to 16)");
  cmd->add_option("--group", split->groups,
                  "a group of shares as TofN (e.g. 2of3); repeat for two-level sharing");
  cmd->add_option("--group-threshold", split->group_threshold,
                  "groups needed to restore, with --group");
  // One of the two is checked in run_split (a CLI11 "Excludes" would also
  // do, but garbles the help column of a name as short as --print).
  cmd->add_option("--out-dir", split->out_dir,
                  "new directory (made mode 0700) for the sheets (0600)");
  cmd->add_flag("--print", split->print,
                "show the sheets one at a time on the terminal instead of --out-dir; nothing "
                "touches the disk");
  cmd->add_flag("--no-png", split->no_png, "no QR code PNG beside each sheet");
  cmd->add_option("--iteration-exponent", split->iteration_exponent,
                  "SLIP-39 passphrase hardening, 10000 * 2^E PBKDF2 rounds (default 1, as the "
                  "standard's tools)")
      ->check(CLI::Range(0, slip39::kMaxIterationExponent));
  add_slip39_passphrase_options(*cmd, split->slip39_passphrase, true);
  cmd->footer(
      "Examples:\n"
      "  dmp-sign backup split --key operator.key --threshold 2 --shares 3 --out-dir shares\n"
      "  dmp-sign backup split --key operator.key --group 2of3 --group 1of2 "
      "--group-threshold 2 --out-dir shares");
  cmd->callback([&run, split] { run = [split] { return run_split(*split); }; });

  auto restore = std::make_shared<RestoreOptions>();
  cmd = group->add_subcommand("restore", "restore a key file from SLIP-39 shares");
  cmd->add_option("--out", restore->out, "key file to create (must not exist; mode 0600)")
      ->required();
  cmd->add_option("--share-file", restore->share_files,
                  "a share sheet (repeat; default: type the shares on the terminal)");
  cmd->add_option("--expect-public", restore->expect_public,
                  "refuse, writing nothing, unless the shares give this public key (64 hex)");
  cmd->add_option("--comment", restore->comment, "free text stored in the new file");
  cmd->add_option("--kdf", restore->kdf,
                  "Argon2id cost of the new file: sensitive (default, 1 GiB), moderate, "
                  "interactive (tests only)")
      ->transform(named_choice(kdf_level_names()));
  auto* file = cmd->add_option("--passphrase-file", restore->passphrase_file,
                               "read the NEW key file's passphrase from the first line of FILE "
                               "(mode 0600)");
  auto* fd = cmd->add_option("--passphrase-fd", restore->passphrase_fd,
                             "read the NEW key file's passphrase from file descriptor N");
  file->excludes(fd);
  add_slip39_passphrase_options(*cmd, restore->slip39_passphrase, false);
  cmd->footer(
      "Example:\n"
      "  dmp-sign backup restore --out operator.key --expect-public HEX "
      "--share-file share-1-1.txt --share-file share-1-3.txt");
  cmd->callback([&run, restore] { run = [restore] { return run_restore(*restore); }; });

  auto check = std::make_shared<CheckOptions>();
  cmd = group->add_subcommand("check",
                              "the restore drill: do these shares (or this key-file copy) "
                              "restore the pinned key? Writes no key");
  cmd->add_option("--share-file", check->share_files,
                  "a share sheet (repeat; default: type the shares on the terminal)");
  add_key_options(*cmd, check->key, "", "a key-file copy to unlock instead of shares: ", false);
  add_helper_options(*cmd, check->helpers);
  cmd->add_option("--expect-public", check->expect_public,
                  "the public key your clients pin (64 hex)");
  add_slip39_passphrase_options(*cmd, check->slip39_passphrase, false);
  cmd->footer(
      "Examples:\n"
      "  dmp-sign backup check --expect-public HEX --share-file a.txt --share-file b.txt\n"
      "  dmp-sign backup check --expect-public HEX --key /media/usb/operator.key");
  cmd->callback([&run, check] { run = [check] { return run_check(*check); }; });
}

}  // namespace dmp::cli
