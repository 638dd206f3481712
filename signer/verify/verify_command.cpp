#include "verify/verify_command.hpp"
#include "output/terminal_text.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <utility>

#include "common/file_io.hpp"
#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/records.hpp"
#include "input/record_reader.hpp"
#include "verify/file_check.hpp"
#include "verify/ordered_jobs.hpp"
#include "verify/report.hpp"
#include "verify/trust_file.hpp"

namespace dmp::cli {
namespace {

struct Settings {
  KeyPins pins;
  CheckSettings check;
  bool json = false;
  bool quiet = false;
  std::optional<std::size_t> record;  // --record N
  unsigned jobs = 1;
};

unsigned online_cores() {
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (cores < 1) return 1;
  return cores > static_cast<long>(kMaxJobs) ? static_cast<unsigned>(kMaxJobs)
                                             : static_cast<unsigned>(cores);
}

Failure usage(const std::string& message) {
  return fail(Reason::invalid_field, "", message);
}

// "dmp-verify: MESSAGE [TAG]", the tag in brackets as dmp-sign writes it:
// usage for a bad command line, io_error for a file that cannot be read.
void print_error_line(const std::string& message, std::string_view tag) {
  std::fprintf(stderr, "dmp-verify: %s [%.*s]\n", output::terminal_safe(message).c_str(),
               static_cast<int>(tag.size()), tag.data());
}

std::string_view tag_of(const Error& error) {
  switch (error.reason) {
    case Reason::io_error:
    case Reason::insecure_file:
      return cli_reason::io_error;
    default:
      return "usage";
  }
}

Result<std::string> read_key_file(const std::string& path) {
  auto read = read_file_capped(path, kMaxKeyFileBytes, Accept::regular_file);
  if (!read) return read.error();
  if (read->over_cap) {
    return usage(path + ": larger than " + std::to_string(kMaxKeyFileBytes) +
                 " bytes; not a key or trust file");
  }
  return std::move(read->bytes);
}

Result<KeyPins> resolve_pins(const VerifyRequest& request) {
  const int given =
      (request.pubkey ? 1 : 0) + (request.pubkey_file ? 1 : 0) + (request.trust_file ? 1 : 0);
  if (given != 1) {
    return usage(given == 0 ? "a pinned key is required: give --pubkey, --pubkey-file or --trust"
                            : "give only one of --pubkey, --pubkey-file and --trust");
  }
  if (request.pubkey) {
    auto key = encoding::public_key_from_hex(*request.pubkey, "--pubkey");
    if (!key) return key.error();
    if (auto pinnable = check_pinnable_key(*key, "--pubkey"); !pinnable) return pinnable.error();
    return KeyPins(*key);
  }
  if (request.pubkey_file) {
    auto text = read_key_file(*request.pubkey_file);
    if (!text) return text.error();
    auto key = parse_pubkey_file_text(*text, *request.pubkey_file);
    if (!key) return key.error();
    return KeyPins(*key);
  }
  auto text = read_key_file(*request.trust_file);
  if (!text) return text.error();
  auto store = parse_trust_text(*text, *request.trust_file);
  if (!store) return store.error();
  return KeyPins(TrustPins{std::move(*store), *request.trust_file});
}

// The clock is read once, here, so every file of a batch is judged at the
// same instant and a long batch cannot drift across an expiry.
std::uint64_t wall_clock_seconds() {
  const std::time_t now = std::time(nullptr);
  return now < 0 ? 0 : static_cast<std::uint64_t>(now);
}

Result<Settings> resolve_settings(const VerifyRequest& request) {
  std::size_t stdin_count = 0;
  for (const std::string& file : request.files)
    stdin_count += file == "-" ? 1 : 0;
  if (stdin_count > 1) return usage("'-' (standard input) can be given only once");

  auto pins = resolve_pins(request);
  if (!pins) return pins.error();
  Settings settings{std::move(*pins), CheckSettings{}, request.json,
                    request.quiet,    std::nullopt,    online_cores()};
  if (request.jobs) {
    auto jobs = parse_decimal_u64(*request.jobs, "--jobs");
    if (!jobs) return jobs.error();
    if (*jobs == 0 || *jobs > kMaxJobs) {
      return usage("--jobs: from 1 to " + std::to_string(kMaxJobs) + " threads (got " +
                   *request.jobs + ")");
    }
    settings.jobs = static_cast<unsigned>(*jobs);
  }
  CheckSettings& check = settings.check;
  check.strict = request.strict;

  if (request.name) {
    if (auto valid = check_dns_name(*request.name, "--name"); !valid) return valid.error();
    if (strip_one_dot(*request.name).size() > kMaxNameLen) {
      return usage("--name: longer than 64 bytes, so no record can carry it");
    }
    check.expected_name = *request.name;
  }
  if (request.now) {
    auto now = parse_time_text(*request.now, "--now");
    if (!now) return now.error();
    check.now = *now;
  } else {
    check.now = wall_clock_seconds();
  }
  if (request.min_seq) {
    auto min_seq = parse_decimal_u64(*request.min_seq, "--min-seq");
    if (!min_seq) return min_seq.error();
    check.min_seq = *min_seq;
  }
  if (request.record) {
    auto record = parse_decimal_u64(*request.record, "--record");
    if (!record) return record.error();
    if (*record == 0) return usage("--record: counts from 1");
    settings.record = static_cast<std::size_t>(*record);
  }
  if (request.max_age) {
    auto max_age = parse_decimal_u64(*request.max_age, "--max-age");
    if (!max_age) return max_age.error();
    check.max_age = *max_age;
  }
  if (request.warn_expiring) {
    auto days = parse_decimal_u64(*request.warn_expiring, "--warn-expiring");
    if (!days) return days.error();
    if (*days > kMaxWarnDays) {
      return usage("--warn-expiring: at most " + std::to_string(kMaxWarnDays) + " days (got " +
                   *request.warn_expiring + ")");
    }
    check.warn_seconds = *days * 86'400;
  }
  return settings;
}

FileVerdict verify_file(const std::string& file, const Settings& settings) {
  auto read = file == "-" ? read_stdin_capped(file, kMaxInputBytes)
                          : read_file_capped(file, kMaxInputBytes, Accept::regular_file);
  if (!read) {
    return FileVerdict{Verdict::error, std::string(cli_reason::io_error), read.error().message(),
                       std::nullopt, std::nullopt};
  }
  if (read->over_cap) {
    return invalid_verdict(reason_name(Reason::too_long),
                           "file: larger than " + std::to_string(kMaxInputBytes) +
                               " bytes (a wire is at most 1200); not read further");
  }
  auto input = read_record(read->bytes, settings.record);
  if (!input) return invalid_verdict(cli_reason::bad_zone, input.error().message());
  return check_record_input(*input, settings.pins, settings.check);
}

// --quiet drops the lines meant for a person: the stderr line of an
// unreadable file and, without --json, the per-file lines. JSON lines are
// for programs, so --json --quiet still prints them (and only them).
void report(const std::string& file, const FileVerdict& verdict, const Settings& settings) {
  if (verdict.verdict == Verdict::error && !settings.quiet) {
    print_error_line(verdict.message, verdict.reason);
  }
  std::string line;
  if (settings.json) {
    line = json_line(file, verdict);
  } else if (!settings.quiet && verdict.verdict != Verdict::error) {
    line = plain_line(file, verdict, settings.check.now);
  } else {
    return;
  }
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace

int run_verify(const VerifyRequest& request) {
  auto settings = resolve_settings(request);
  if (!settings) {
    print_error_line(settings.error().message(), tag_of(settings.error()));
    return kExitUsageOrIo;
  }
  bool any_error = false, any_invalid = false, any_expiring = false;
  const std::vector<std::string>& files = request.files;
  run_ordered<FileVerdict>(
      files.size(), settings->jobs, [&](std::size_t i) { return verify_file(files[i], *settings); },
      [&](std::size_t i, const FileVerdict& verdict) {
        report(files[i], verdict, *settings);
        any_error = any_error || verdict.verdict == Verdict::error;
        any_invalid = any_invalid || verdict.verdict == Verdict::invalid;
        any_expiring = any_expiring || verdict.verdict == Verdict::expiring;
      });
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    print_error_line("cannot write to standard output", cli_reason::io_error);
    return kExitUsageOrIo;
  }
  if (any_error) return kExitUsageOrIo;
  if (any_invalid) return kExitSomeInvalid;
  return any_expiring ? kExitExpiring : kExitAllValid;
}

}  // namespace dmp::cli
