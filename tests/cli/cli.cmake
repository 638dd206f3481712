# dmp-verify: unit tests of the command-line parsers (time, trust and
# key files, input classification) and end-to-end tests that run the real
# binary in a temporary directory. Included from tests/CMakeLists.txt, so
# paths are relative to tests/.
dmp_add_gtest(dmp_cli_parser_tests
  cli/time_text_test.cpp
  cli/trust_file_test.cpp
  cli/record_reader_test.cpp
)
target_link_libraries(dmp_cli_parser_tests PRIVATE dmp_verify_cli)

dmp_add_gtest(dmp_verify_cli_tests
  cli/verify_cli_vectors_test.cpp
  cli/verify_cli_key_records_test.cpp
  cli/verify_cli_test.cpp
  cli/cli_conventions_test.cpp
)
target_link_libraries(dmp_verify_cli_tests PRIVATE dmp_cli_common)
# The tests run the binaries, so they must be built first.
add_dependencies(dmp_verify_cli_tests dmp-verify dmp-sign)
