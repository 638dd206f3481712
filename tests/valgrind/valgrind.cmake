# valgrind memcheck over the key paths of dmp-sign and dmp-verify
# (tests/valgrind/key_paths.sh): one run of each command, failing on any
# memcheck error; skipped only when valgrind is not installed. Not in the
# sanitizer build, whose instrumented binaries valgrind cannot run.
# Included from tests/CMakeLists.txt, so paths are relative to tests/.
#
# The release CLIs are static-pie. Valgrind cannot preload its malloc
# replacement into a static binary (measured: "0 allocs", and 177 false
# "uninitialised value" reports inside static glibc), so memcheck would miss
# every heap error and leak. It runs on these dynamically linked twins
# instead: the same main.cpp and the same libraries (dmp_sign_core, not the
# fault-injecting core), only linked against the shared libc and libsodium.
if(NOT DMP_SANITIZE)
  add_executable(dmp-sign-dynamic ${PROJECT_SOURCE_DIR}/signer/sign/main.cpp)
  target_link_libraries(dmp-sign-dynamic PRIVATE dmp_warnings dmp_sign_core dmp_build_info)
  add_executable(dmp-verify-dynamic ${PROJECT_SOURCE_DIR}/signer/verify/main.cpp)
  target_link_libraries(dmp-verify-dynamic PRIVATE dmp_warnings dmp_verify_cli dmp_build_info)

  add_test(NAME valgrind.key_paths
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/key_paths.sh $<TARGET_FILE:dmp-sign-dynamic>
            $<TARGET_FILE:dmp-verify-dynamic> ${PROJECT_SOURCE_DIR}/examples)
  set_tests_properties(valgrind.key_paths PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
