// dmp-verify -j: checks many files on several threads while the output keeps
// the order, and the exit code the verdicts, of a run on one thread.
//
// run_ordered(count, jobs, work, emit) calls work(i) for every i in
// [0, count) on up to `jobs` threads and emit(i, result) in index order on the
// calling thread, as soon as result i and all before it are done. A worker
// claims index i only while i < emitted + window, so at most `window` results
// are held at any time: memory stays flat however many files there are. An
// exception from work() (std::bad_alloc) is rethrown on the calling thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dmp::cli {

// Results that may wait for the slowest file of the window, per thread.
inline constexpr std::size_t kResultsPerJob = 8;

template <class Result, class Work, class Emit>
void run_ordered(std::size_t count, unsigned jobs, Work work, Emit emit) {
  if (jobs <= 1 || count <= 1) {
    for (std::size_t i = 0; i < count; ++i)
      emit(i, work(i));
    return;
  }
  const std::size_t window = jobs * kResultsPerJob;
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr error;
  };
  std::vector<Slot> slots(window);
  std::mutex mutex;
  std::condition_variable may_claim;  // a slot came free, or we are stopping
  std::condition_variable done;       // a result (or an error) arrived
  std::size_t next = 0, emitted = 0;
  bool stopping = false;

  const auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mutex);
        may_claim.wait(lock, [&] { return stopping || next >= count || next < emitted + window; });
        if (stopping || next >= count) return;
        i = next++;
      }
      Slot slot;
      try {
        slot.result.emplace(work(i));
      } catch (...) {
        slot.error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        slots[i % window] = std::move(slot);
      }
      done.notify_one();
    }
  };

  std::vector<std::thread> threads;
  const std::size_t thread_count = jobs < count ? jobs : count;
  threads.reserve(thread_count);
  // Joins the workers however this function is left.
  struct Joiner {
    std::vector<std::thread>& threads;
    std::mutex& mutex;
    bool& stopping;
    std::condition_variable& may_claim;
    ~Joiner() {
      {
        std::lock_guard lock(mutex);
        stopping = true;
      }
      may_claim.notify_all();
      for (std::thread& thread : threads)
        thread.join();
    }
  } joiner{threads, mutex, stopping, may_claim};
  for (std::size_t t = 0; t < thread_count; ++t)
    threads.emplace_back(worker);

  for (; emitted < count;) {
    Slot slot;
    {
      std::unique_lock lock(mutex);
      Slot& waiting = slots[emitted % window];
      done.wait(lock, [&] { return waiting.result.has_value() || waiting.error != nullptr; });
      slot = std::move(waiting);
      waiting = Slot{};
    }
    if (slot.error) std::rethrow_exception(slot.error);
    emit(emitted, std::move(*slot.result));
    {
      std::lock_guard lock(mutex);
      ++emitted;
    }
    may_claim.notify_all();
  }
}

}  // namespace dmp::cli
