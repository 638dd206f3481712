# hsm/: the helper pipe protocol (codec and call_helper against a stand-in
# helper process). Included from tests/CMakeLists.txt, so paths are relative
# to tests/.
add_executable(dmp-fake-helper hsm/fake_helper.cpp)
target_link_libraries(dmp-fake-helper PRIVATE dmp_warnings dmp_hsm)

dmp_add_gtest(dmp_hsm_tests
  hsm/helper_protocol_test.cpp
)
target_link_libraries(dmp_hsm_tests PRIVATE dmp_hsm)
target_compile_definitions(dmp_hsm_tests PRIVATE DMP_FAKE_HELPER_BIN="$<TARGET_FILE:dmp-fake-helper>")
add_dependencies(dmp_hsm_tests dmp-fake-helper)

# The FIDO2-wrapped key file: format and seed wrapping (no token needed: the
# hmac-secret outputs are fixed test values).
dmp_add_gtest(dmp_fido2_key_file_tests
  keys/fido2_key_file_test.cpp
)
target_link_libraries(dmp_fido2_key_file_tests PRIVATE dmp_sign_core)
