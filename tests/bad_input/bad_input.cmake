# The bad-input table: a directory of refusal cases (input files, command
# line, expected exit code, reason and message, files that must not be
# written), each run as its own test against the real dmp-sign and
# dmp-verify. Format: bad_input/README.md. Included from tests/CMakeLists.txt,
# so paths are relative to tests/.
dmp_add_gtest(dmp_bad_input_tests
  bad_input/bad_input_test.cpp
)
# Cases are found at run time, so the case directory is a definition, not a source.
target_compile_definitions(dmp_bad_input_tests PRIVATE
  DMP_BAD_INPUT_CASES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/bad_input/cases"
  DMP_BAD_INPUT_TEST_SEED="${CMAKE_CURRENT_SOURCE_DIR}/bad_input/test-only-ed25519.seed"
  DMP_HAVE_PKCS11_HELPER=$<BOOL:${DMP_PKCS11_HELPER}>)
# The tests run the binaries, so they must be built first.
add_dependencies(dmp_bad_input_tests dmp-sign dmp-verify)
