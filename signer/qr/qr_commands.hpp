// `dmp-sign qr show|png|scan`: a file across the air gap as QR codes
// (qr_frames.hpp for the format). show and png encode in dmp-sign itself
// (nayuki's generator and libpng link statically); scan runs the
// dmp-sign-qrscan helper, which decodes with ZBar, and checks and
// reassembles the frames here.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_qr_commands(CLI::App& app, std::function<Status()>& run);

struct QrShowOptions {
  std::size_t max_frame_bytes = 0;  // 0: as much as a code of the terminal's size holds
  double interval = 0;              // seconds per frame, cycling; 0: a key for the next
  int columns = 0;                  // 0: the terminal's own size (80x24 when not a terminal)
  int rows = 0;
};

// Shows `payload` on standard output as QR codes in UTF-8 half blocks, each
// the largest that fits the terminal, one frame at a time on a terminal
// (Enter or space for the next, q to stop), all in a row otherwise. Used by
// `qr show` and by --qr of sign and draft.
Status show_as_qr(std::string_view payload, const QrShowOptions& options);

// Whether codes can be shown here at all (the terminal is large enough):
// --qr asks before it writes or signs, so a small terminal is a usage error
// with nothing done rather than after the fact.
Status check_qr_display(const QrShowOptions& options);

}  // namespace dmp::cli
