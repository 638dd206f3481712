# dmp-sign: unit tests of the unsigned-record JSON input and the ledger format
# (linked against dmp_sign_core), and end-to-end tests that run the real
# dmp-sign, its fault-injecting twin dmp-sign-faulty and dmp-verify in
# temporary directories: the reference vectors, input refusals, outputs, the
# ledger (seq, tamper, export/import, lock), concurrency, crash safety and
# storage that refuses writes.
# Included from tests/CMakeLists.txt, so paths are relative to tests/.
dmp_add_gtest(dmp_sign_unit_tests
  sign/unsigned_record_test.cpp
  sign/ledger_format_test.cpp
  sign/rotation_request_test.cpp
  sign/key_history_test.cpp
  sign/host_lint_test.cpp
  sign/marked_text_test.cpp
  sign/draft_edits_test.cpp
  sign/qr_frames_test.cpp
  sign/publish_file_test.cpp
)
target_link_libraries(dmp_sign_unit_tests PRIVATE dmp_sign_core PkgConfig::ZBAR)

dmp_add_gtest(dmp_sign_cli_tests
  sign/sign_vectors_test.cpp
  sign/sign_cli_test.cpp
  sign/ceremony_cli_test.cpp
  sign/ledger_cli_test.cpp
  sign/ledger_custody_test.cpp
  sign/prompt_and_files_test.cpp
  sign/review_diff_test.cpp
  sign/published_record_test.cpp
  sign/draft_cli_test.cpp
  sign/qr_cli_test.cpp
  sign/rollout_trip_test.cpp
  sign/concurrency_test.cpp
  sign/crash_test.cpp
  sign/storage_failure_test.cpp
  sign/rotate_cli_test.cpp
  sign/rotate_vectors_test.cpp
)
# The tamper tests forge well-chained entries with the ledger's own sealing.
target_link_libraries(dmp_sign_cli_tests PRIVATE dmp_sign_core)
# The tests run the binaries, so they must be built first.
add_dependencies(dmp_sign_cli_tests dmp-sign dmp-sign-faulty dmp-verify dmp-sign-qrscan)
target_compile_definitions(dmp_sign_cli_tests PRIVATE
  DMP_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
