// RFC 7512 PKCS#11 URIs (signer/keyfile/pkcs11_uri.hpp): one test per rule.
#include <gtest/gtest.h>

#include "keyfile/pkcs11_uri.hpp"

namespace dmp::keyfile {
namespace {

Pkcs11Uri parsed(const std::string& text) {
  auto uri = parse_pkcs11_uri(text);
  EXPECT_TRUE(uri.has_value()) << text << ": " << (uri ? "" : uri.error().message());
  return uri ? *uri : Pkcs11Uri{};
}

// The refusal's reason, and that its message names `attribute`.
void expect_refused(const std::string& text, const std::string& attribute,
                    Reason reason = Reason::key_format) {
  auto uri = parse_pkcs11_uri(text);
  ASSERT_FALSE(uri.has_value()) << text;
  EXPECT_EQ(uri.error().reason, reason) << text;
  EXPECT_NE(uri.error().message().find(attribute), std::string::npos) << uri.error().message();
}

TEST(Pkcs11Uri, PathAndQueryAttributesAreDecoded) {
  const auto uri = parsed(
      "pkcs11:token=my%20token;manufacturer=SoftHSM%20project;serial=a1;model=SoftHSM%20v2;"
      "object=operator;id=%01%ff;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&"
      "pin-source=file:/media/usb/pin");
  EXPECT_EQ(uri.token, "my token");
  EXPECT_EQ(uri.manufacturer, "SoftHSM project");
  EXPECT_EQ(uri.serial, "a1");
  EXPECT_EQ(uri.model, "SoftHSM v2");
  EXPECT_EQ(uri.object, "operator");
  EXPECT_EQ(uri.id, (std::vector<std::uint8_t>{0x01, 0xff}));
  EXPECT_EQ(uri.type, "private");
  EXPECT_EQ(uri.module_path, "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_EQ(uri.pin_file, "/media/usb/pin");
}

TEST(Pkcs11Uri, SchemeIsCaseInsensitiveAndEmptyPathAllowed) {
  EXPECT_EQ(parsed("PKCS11:?module-name=ykcs11").module_name, "ykcs11");
  EXPECT_EQ(parsed("pkcs11:"), Pkcs11Uri{});
}

TEST(Pkcs11Uri, FileUrlFormOfPinSourceNamesTheSameFile) {
  EXPECT_EQ(parsed("pkcs11:?pin-source=file:///run/pin").pin_file, "/run/pin");
  expect_refused("pkcs11:?pin-source=file://host/run/pin", "pin-source");
}

TEST(Pkcs11Uri, PinValueIsRefusedAsUsage) {
  expect_refused("pkcs11:object=a?pin-value=1234", "pin-value", Reason::usage);
}

TEST(Pkcs11Uri, PinSourceMustBeAFile) {
  expect_refused("pkcs11:?pin-source=|/bin/echo", "pin-source");
  expect_refused("pkcs11:?pin-source=http://x/pin", "pin-source");
}

TEST(Pkcs11Uri, UnknownAttributesAreRefusedByName) {
  expect_refused("pkcs11:slot-id=1", "slot-id");
  expect_refused("pkcs11:object=a?x-vendor=1", "x-vendor");
}

TEST(Pkcs11Uri, DuplicatesAreRefused) {
  expect_refused("pkcs11:object=a;object=b", "object");
  expect_refused("pkcs11:id=%01;id=%02", "id");
  expect_refused("pkcs11:?module-path=/a.so&module-path=/b.so", "module-path");
}

TEST(Pkcs11Uri, ModulePathMustBeAbsolute) {
  expect_refused("pkcs11:?module-path=libsofthsm2.so", "module-path");
}

TEST(Pkcs11Uri, ModuleNameIsAFileName) {
  expect_refused("pkcs11:?module-name=../x", "module-name");
  expect_refused("pkcs11:?module-name=..", "module-name");
}

TEST(Pkcs11Uri, ModulePathAndModuleNameExcludeEachOther) {
  expect_refused("pkcs11:?module-path=/a.so&module-name=b", "module-path");
}

TEST(Pkcs11Uri, BadPercentEscapesAreRefused) {
  expect_refused("pkcs11:object=a%2", "object");
  expect_refused("pkcs11:object=a%zz", "object");
}

TEST(Pkcs11Uri, CharactersOutsideTheGrammarMustBeEscaped) {
  expect_refused("pkcs11:object=a b", "object");
  expect_refused("pkcs11:object=a/b", "object");  // '/' only unescaped in the query
}

TEST(Pkcs11Uri, ControlCharactersInTextAreRefused) {
  expect_refused("pkcs11:object=a%0ab", "object");
}

TEST(Pkcs11Uri, SizeCapsApply) {
  expect_refused("pkcs11:token=" + std::string(33, 't'), "token");
  expect_refused("pkcs11:object=" + std::string(256, 'o'), "object");
  std::string id = "pkcs11:id=";
  for (int i = 0; i < 256; ++i)
    id += "%01";
  expect_refused(id, "id");
  expect_refused("pkcs11:object=" + std::string(4100, 'o'), "uri");
}

TEST(Pkcs11Uri, EmptyValuesAndEmptyAttributesAreRefused) {
  expect_refused("pkcs11:object=", "object");
  expect_refused("pkcs11:object=a;;token=b", "empty attribute");
  expect_refused("pkcs11:object", "object");
}

TEST(Pkcs11Uri, TypeNamesAHalfOfTheKeyPair) {
  EXPECT_EQ(parsed("pkcs11:type=public").type, "public");
  expect_refused("pkcs11:type=cert", "type");
}

TEST(Pkcs11Uri, FormatIsCanonicalAndParsesBack) {
  const auto uri = parsed(
      "pkcs11:object=op%20key;token=a%3bb;id=%00%7f?pin-source=file:/p&module-path=/m%20x.so");
  const std::string text = format_pkcs11_uri(uri);
  EXPECT_EQ(text,
            "pkcs11:token=a%3bb;object=op%20key;id=%00%7f?module-path=/m%20x.so&"
            "pin-source=file:/p");
  EXPECT_EQ(parsed(text), uri);
}

TEST(Pkcs11Uri, OnlyTheSchemeMakesAUri) {
  EXPECT_TRUE(looks_like_pkcs11_uri("pkcs11:object=a"));
  EXPECT_TRUE(looks_like_pkcs11_uri("Pkcs11:"));
  EXPECT_FALSE(looks_like_pkcs11_uri("operator.key"));
  EXPECT_FALSE(looks_like_pkcs11_uri("./pkcs11:x"));
}

}  // namespace
}  // namespace dmp::keyfile
