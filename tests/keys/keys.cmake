# Encrypted operator key files and the key lifecycle: the v1 format and its
# armour, sealing/opening, seed import (spec §6), key files on disk, process
# hardening (dmp_key_tests, in process, against dmp_sign_core), and dmp-sign
# keygen/pubkey/passwd/import end to end (dmp_key_cli_tests, the real
# binary). Included from tests/CMakeLists.txt, so paths are relative to tests/.
dmp_add_gtest(dmp_key_tests
  keys/key_file_format_test.cpp
  keys/key_file_crypto_test.cpp
  keys/seed_import_test.cpp
  keys/key_store_test.cpp
)
target_link_libraries(dmp_key_tests PRIVATE dmp_sign_core)

dmp_add_gtest(dmp_key_cli_tests
  keys/key_cli_test.cpp
)
target_link_libraries(dmp_key_cli_tests PRIVATE dmp_sign_core)
# The tests run the binary, so it must be built first.
add_dependencies(dmp_key_cli_tests dmp-sign)
