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

# passwd under SIGKILL at every step of the key file's atomic replace, with
# the fault-injecting twin dmp-sign-faulty (tests/keys/passwd_crash_test.cpp).
dmp_add_gtest(dmp_passwd_crash_tests
  keys/passwd_crash_test.cpp
)
target_link_libraries(dmp_passwd_crash_tests PRIVATE dmp_sign_core)
add_dependencies(dmp_passwd_crash_tests dmp-sign dmp-sign-faulty)

# The crash points exist only in dmp-sign-faulty: the shipped dmp-sign must not
# even contain the variable that triggers them, nor (when optimised) a step name.
set(dmp_step_names "")
if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(dmp_step_names --step-names)
endif()
add_test(NAME keys.release_binary_has_no_crash_points
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/no_crash_points.sh
          $<TARGET_FILE:dmp-sign> $<TARGET_FILE:dmp-sign-faulty> ${dmp_step_names})
