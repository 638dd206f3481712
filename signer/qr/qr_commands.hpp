// `dmp-sign qr show|png|scan`: a file across the air gap as QR codes
// (qr_frames.hpp for the format). show and png encode in dmp-sign itself
// (nayuki's generator and libpng link statically); scan runs the
// dmp-sign-qrscan helper, which decodes with ZBar, and checks and
// reassembles the frames here.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "dmp/result.hpp"

namespace dmp::cli {

void add_qr_commands(CLI::App& app, std::function<Status()>& run);

}  // namespace dmp::cli
