// Reading whole input files with a hard size cap, so a hostile or mistaken
// input (a 4 GiB file, /dev/zero, an endless pipe) costs at most cap + 1
// bytes of memory and time. POSIX read(2) only: no iostreams, no locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::cli {

struct CappedRead {
  std::string bytes;      // the content, or its first `cap` bytes when over_cap
  bool over_cap = false;  // the input holds more than `cap` bytes; reading stopped there
};

// Reads `path` ("-" is NOT special here; see read_stdin_capped). Open and read
// failures are Reason::invalid_field errors whose message is
// "<path>: cannot open: <strerror>" or "<path>: cannot read: <strerror>".
//
// `accept` says what the path may be. `regular_file` opens with O_NONBLOCK and
// refuses anything else ("<path>: cannot open: a FIFO, not a regular file"):
// a FIFO with no writer would otherwise block open(2) forever. `any_file`
// also reads pipes, as `<(command)` hands them over.
enum class Accept { regular_file, any_file };
Result<CappedRead> read_file_capped(const std::string& path, std::size_t cap,
                                    Accept accept = Accept::any_file);

// "a FIFO", "a directory", "a character device", ... for `st_mode`.
std::string file_kind_text(unsigned st_mode);

// Reads standard input to end of file, with the same cap and error shape
// (the name in messages is `label`).
Result<CappedRead> read_stdin_capped(std::string_view label, std::size_t cap);

}  // namespace dmp::cli
