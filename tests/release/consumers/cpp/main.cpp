// A C++ program using the installed dmpverify through find_package.
#include <dmp/encoding.hpp>
#include <dmp/verify.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  const std::string wire((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto key = dmp::encoding::public_key_from_hex(argv[2], "key");
  if (!key) {
    std::cerr << key.error().message() << "\n";
    return 2;
  }
  dmp::VerifyOptions options;
  options.now = 1900000000;
  auto record = dmp::verify(wire, *key, options);
  if (!record) {
    std::cerr << dmp::reason_name(record.error().reason) << ": " << record.error().message()
              << "\n";
    return 1;
  }
  std::cout << dmp::rrset_name(*record) << " seq " << dmp::seq_of(*record) << "\n";
  return 0;
}
