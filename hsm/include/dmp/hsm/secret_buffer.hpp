// Guarded memory for secrets (seeds, passphrases, derived keys): libsodium's
// sodium_malloc (guard pages, canary, mlock'd, excluded from core dumps) and
// sodium_free (wipes before freeing). Move-only; never copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dmp::hsm {

class SecretBuffer {
 public:
  SecretBuffer() = default;
  // Aborts when guarded memory cannot be had: continuing without it would
  // put a secret in ordinary, swappable memory.
  explicit SecretBuffer(std::size_t size);
  ~SecretBuffer();
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;

  std::uint8_t* data() noexcept { return data_; }
  const std::uint8_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::span<std::uint8_t> span() noexcept { return {data_, size_}; }
  std::span<const std::uint8_t> span() const noexcept { return {data_, size_}; }

  // Shrinks the visible size (e.g. a passphrase shorter than its buffer);
  // the tail is wiped.
  void truncate(std::size_t size) noexcept;

  // Constant-time equality of contents (sizes compared first).
  bool equals(const SecretBuffer& other) const noexcept;

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace dmp::hsm
