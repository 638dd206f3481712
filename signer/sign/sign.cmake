# dmp-sign: key files (signer/keyfile), SLIP-39 backups (signer/backup),
# unsigned input (signer/input), the ledger (signer/ledger), outputs
# (signer/output) and commands (signer/sign).
set(DMP_SIGN_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/../backup/share_sheet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../backup/slip39.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../common/hardening.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../common/passphrase.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../common/private_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../input/draft_edits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../input/rotation_request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../input/strict_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../input/unsigned_record.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/fido2_key_crypto.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/fido2_key_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/fido2_key_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/key_access.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/key_file_crypto.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/key_file_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/key_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/pkcs11_key_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/pkcs11_uri.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../keyfile/seed_import.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/interchange.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/key_history.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/ledger_anchor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/ledger_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/ledger_head.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/ledger_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../ledger/wire_archive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/key_record_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/key_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/marked_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/record_diff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/record_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/text_diff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/unsigned_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../output/wire_formats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../qr/qr_code.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../qr/qr_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../qr/qr_frames.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../qr/qr_png.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backup_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ceremony.cpp
  ${CMAKE_CURRENT_LIST_DIR}/confirm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/draft_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fido2_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/host_lint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/key_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/key_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output_preflight.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pkcs11_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reemit_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rotate_ceremonies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rotate_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rotation_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sign_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sign_pipeline.cpp
)

# QR codes: nayuki's generator and libpng (with zlib) as static archives, so
# the static dmp-sign shows and writes codes itself; decoding (ZBar, the
# camera) is the dynamically linked dmp-sign-qrscan helper below.
find_library(DMP_QRCODEGEN_LIB NAMES libqrcodegencpp.a REQUIRED)
find_library(DMP_PNG_LIB NAMES libpng16.a libpng.a REQUIRED)
find_library(DMP_Z_LIB NAMES libz.a REQUIRED)

function(dmp_add_sign_core target)
  add_library(${target} STATIC ${DMP_SIGN_CORE_SOURCES})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/..)
  target_link_libraries(${target} PRIVATE dmp_warnings
    PUBLIC dmp_hsm dmp_cli_common dmp::verify CLI11::CLI11 nlohmann_json::nlohmann_json
           PkgConfig::SODIUM ${DMP_QRCODEGEN_LIB} ${DMP_PNG_LIB} ${DMP_Z_LIB} m)
endfunction()

dmp_add_sign_core(dmp_sign_core)
add_executable(dmp-sign ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(dmp-sign PRIVATE dmp_warnings dmp_sign_core dmp_build_info)
dmp_cli_link(dmp-sign)
install(TARGETS dmp-sign RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# dmp-sign-qrscan: decodes QR codes from PNG images or a V4L2 camera with
# ZBar (shared libraries) for `dmp-sign qr scan`. Beside dmp-sign in the
# build tree, in libexec/dmp-signer/ when installed.
if(NOT DMP_BUILD_FUZZERS)
  pkg_check_modules(ZBAR REQUIRED IMPORTED_TARGET GLOBAL zbar)
  pkg_check_modules(LIBPNG REQUIRED IMPORTED_TARGET libpng)
  add_executable(dmp-sign-qrscan ${CMAKE_CURRENT_LIST_DIR}/../qr/scan_helper.cpp)
  target_link_libraries(dmp-sign-qrscan PRIVATE dmp_warnings PkgConfig::ZBAR PkgConfig::LIBPNG)
  install(TARGETS dmp-sign-qrscan RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/dmp-signer)
  add_dependencies(dmp-sign dmp-sign-qrscan)
endif()

# Test-only twin with crash points (sign/fault_injection.hpp). Never installed:
# the release dmp-sign has no fault-injection code at all.
if(DMP_BUILD_TESTS)
  dmp_add_sign_core(dmp_sign_core_faulty)
  target_compile_definitions(dmp_sign_core_faulty PUBLIC DMP_FAULT_INJECTION=1)
  add_executable(dmp-sign-faulty ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
  target_link_libraries(dmp-sign-faulty PRIVATE dmp_warnings dmp_sign_core_faulty dmp_build_info)
endif()
