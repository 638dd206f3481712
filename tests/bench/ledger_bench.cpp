// dmp-bench-ledger: what committing a batch's ledger entries costs per
// record, on a real directory with real fsyncs, the two ways the store can do
// it: `each` appends one entry at a time (fsync of the ledger and an atomic,
// fsync'd head replace per record: what `sign --out-dir` did before the
// group commit) and `group` appends the batch with LockedLedger::append_all
// (one announcement, one ledger fsync, one head replace). Not a test.
//
//   dmp-bench-ledger --dir D --mode each|group --records N [--repeat R]
//
// Prints one key=value line like dmp-bench-raw: best_s is the fastest of R
// passes, each on a fresh state directory under D.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/ledger_store.hpp"

namespace {

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "dmp-bench-ledger: %s\n", message.c_str());
  std::exit(2);
}

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A signature entry like those `sign` appends: a 645-byte body, distinct names.
std::vector<dmp::ledger::Entry> batch(std::size_t records) {
  std::vector<dmp::ledger::Entry> entries;
  for (std::size_t i = 0; i < records; ++i) {
    dmp::ledger::Entry e;
    e.time = 1900000000;
    e.event = dmp::ledger::Event::sign;
    e.type = dmp::RecordType::cluster;
    // Built with append: GCC 12 warns (-Wrestrict, a false positive) on
    // "literal" + std::string&&.
    e.name = std::string("c").append(std::to_string(i)).append(".mesh.example.com");
    e.key.fill(0x42);
    e.seq = 1;
    e.exp = 1900086400;
    e.body.assign(645, static_cast<std::uint8_t>(i));
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, mode;
  std::size_t records = 0, repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir")
      dir = value;
    else if (flag == "--mode")
      mode = value;
    else if (flag == "--records")
      records = std::stoul(value);
    else if (flag == "--repeat")
      repeat = std::stoul(value);
    else
      die("unknown option " + flag);
  }
  if (dir.empty() || (mode != "each" && mode != "group") || records == 0 || repeat == 0) {
    die("usage: dmp-bench-ledger --dir D --mode each|group --records N [--repeat R]");
  }
  double best = 1e300, best_cpu = 1e300;
  for (std::size_t pass = 0; pass < repeat; ++pass) {
    const std::string state = dir + "/state-" + mode + "-" + std::to_string(pass);
    std::filesystem::remove_all(state);
    auto entries = batch(records);
    auto ledger = dmp::ledger::LockedLedger::open(state, std::chrono::milliseconds(0));
    if (!ledger) die(ledger.error().message());
    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    if (mode == "each") {
      for (auto& e : entries) {
        if (auto one = (*ledger)->append(std::move(e)); !one) die(one.error().message());
      }
    } else if (auto all = (*ledger)->append_all(std::move(entries)); !all) {
      die(all.error().message());
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, wall);
    best_cpu = std::min(best_cpu, cpu_seconds() - cpu_start);
    ledger->reset();
    std::filesystem::remove_all(state);
  }
  std::printf("op=ledger_%s n=%zu best_s=%.6f best_cpu_s=%.6f per_op_us=%.3f repeat=%zu\n",
              mode.c_str(), records, best, best_cpu, best / static_cast<double>(records) * 1e6,
              repeat);
  return 0;
}
