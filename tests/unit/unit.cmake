# Unit tests of the verifier library (manifest/): the reference vectors, one
# test per spec rule, check order, base64 policy, key blocklist, robustness,
# name binding, zone text and the encoding module. Included from
# tests/CMakeLists.txt, so paths are relative to tests/.
dmp_add_gtest(dmp_unit_tests
  unit/vectors_test.cpp
  unit/name_rule_test.cpp
  unit/cluster_rules_test.cpp
  unit/bootstrap_rules_test.cpp
  unit/envelope_test.cpp
  unit/check_order_test.cpp
  unit/base64_policy_test.cpp
  unit/encoding_test.cpp
  unit/key_blocklist_test.cpp
  unit/robustness_test.cpp
  unit/name_binding_test.cpp
  unit/zone_test.cpp
  unit/key_records_vectors_test.cpp
  unit/key_records_rules_test.cpp
  unit/error_text_test.cpp
)

# The C ABI (dmp/verify.h) exercised from a program compiled as C11, once
# against the static library and once against the shared one (which also
# proves the exported symbol set). It reads the vectors at test time; exit
# status 77 means "skipped" (vectors missing outside CI).
function(dmp_add_c_abi_test name library)
  add_executable(${name} unit/c_abi_test.c)
  set_target_properties(${name} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    LINKER_LANGUAGE CXX)  # the static library needs the C++ runtime
  target_compile_options(${name} PRIVATE -Wall -Wextra -Werror)
  target_link_libraries(${name} PRIVATE dmp_warnings ${library})
  add_test(NAME ${name} COMMAND ${name} "${DMP_DEFAULT_VECTORS_DIR}")
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()

dmp_add_c_abi_test(dmp_c_abi_test dmp::verify)
if(TARGET dmp_verify_shared)
  dmp_add_c_abi_test(dmp_c_abi_test_shared dmp_verify_shared)
endif()
