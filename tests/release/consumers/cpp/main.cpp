// A C++ program using the installed dmpverify through find_package.
#include <dmp/verify.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  const std::string wire((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string hex = argv[2];
  dmp::PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  }
  dmp::VerifyOptions options;
  options.now = 1900000000;
  auto record = dmp::verify(wire, key, options);
  if (!record) {
    std::cerr << dmp::reason_name(record.error().reason) << ": " << record.error().message << "\n";
    return 1;
  }
  std::cout << dmp::rrset_name(*record) << " seq " << dmp::seq_of(*record) << "\n";
  return 0;
}
