# The software CTAP2 authenticator (test infrastructure: never linked into a
# release binary) and its tests through the real libfido2. Included from
# tests/CMakeLists.txt, so paths are relative to tests/.
pkg_check_modules(FIDO2 REQUIRED IMPORTED_TARGET libfido2)
pkg_check_modules(CBOR REQUIRED IMPORTED_TARGET libcbor)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)

add_library(dmp_soft_authenticator STATIC
  fido2/authenticator.cpp
  fido2/cbor_util.cpp
  fido2/credential.cpp
  fido2/crypto.cpp
  fido2/ctap_hid.cpp
  fido2/pin_protocol.cpp
  fido2/soft_authenticator.cpp
  fido2/token_state.cpp
)
target_include_directories(dmp_soft_authenticator PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/fido2)
target_link_libraries(dmp_soft_authenticator
  PUBLIC PkgConfig::FIDO2 PkgConfig::CBOR PkgConfig::LIBCRYPTO
  PRIVATE dmp_warnings dmp::verify)  # dmp/encoding.hpp: hex and big-endian

dmp_add_gtest(dmp_soft_authenticator_tests
  fido2/soft_authenticator_test.cpp
)
target_link_libraries(dmp_soft_authenticator_tests PRIVATE dmp_soft_authenticator)

# The test FIDO2 helper: the release helper's code over software tokens.
if(TARGET dmp_fido2_helper_core)
  add_executable(dmp-sign-fido2-soft fido2/soft_helper_main.cpp)
  target_link_libraries(dmp-sign-fido2-soft PRIVATE dmp_warnings dmp_fido2_helper_core
    dmp_soft_authenticator)

  # dmp-sign with FIDO2 keys, end to end, through the soft helper.
  dmp_add_gtest(dmp_fido2_cli_tests fido2/fido2_cli_test.cpp)
  target_link_libraries(dmp_fido2_cli_tests PRIVATE dmp_soft_authenticator)
  target_compile_definitions(dmp_fido2_cli_tests PRIVATE
    DMP_SIGN_FIDO2_SOFT_BIN="$<TARGET_FILE:dmp-sign-fido2-soft>"
    DMP_SIGN_FIDO2_BIN="$<TARGET_FILE:dmp-sign-fido2>")
  add_dependencies(dmp_fido2_cli_tests dmp-sign dmp-sign-faulty dmp-verify dmp-sign-fido2
    dmp-sign-fido2-soft)
endif()
