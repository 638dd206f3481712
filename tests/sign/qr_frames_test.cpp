// The QR frame format and its reassembly (signer/qr/qr_frames), and every
// payload size from 1 byte to the 1200-byte wire cap through a real code:
// encoded with nayuki's generator, rendered to a PNG with libpng, decoded
// by ZBar in this process (as dmp-sign-qrscan does), reassembled.
#include "qr/qr_frames.hpp"

#include <gtest/gtest.h>
#include <png.h>
#include <zbar.h>

#include <algorithm>
#include <random>

#include "qr/qr_code.hpp"
#include "qr/qr_png.hpp"

namespace dmp::qr {
namespace {

std::string payload_of(std::size_t size, unsigned seed = 1) {
  // Wire-like text: base64 characters after a prefix.
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  std::mt19937 random(seed);
  std::string out = "v=dmp1;t=cluster;";
  out.resize(std::max<std::size_t>(size, 0));
  for (std::size_t i = std::min<std::size_t>(size, 17); i < size; ++i)
    out[i] = kAlphabet[random() % 65];
  return out.substr(0, size);
}

// The codes ZBar reads in a PNG's pixels, as the helper reads them.
std::vector<std::string> decode_png(const std::vector<std::uint8_t>& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  EXPECT_TRUE(png_image_begin_read_from_memory(&image, png.data(), png.size()));
  image.format = PNG_FORMAT_GRAY;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  EXPECT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::zbar_image_t* frame = zbar::zbar_image_create();
  zbar::zbar_image_set_format(frame, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(frame, image.width, image.height);
  zbar::zbar_image_set_data(frame, pixels.data(), pixels.size(), nullptr);
  zbar::zbar_scan_image(scanner, frame);
  std::vector<std::string> found;
  for (auto* s = zbar::zbar_image_first_symbol(frame); s; s = zbar::zbar_symbol_next(s))
    found.emplace_back(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s));
  zbar::zbar_image_destroy(frame);
  zbar::zbar_image_scanner_destroy(scanner);
  return found;
}

TEST(QrFrames, EverySizeUpToTheWireCapIsOnePlainCodeThatDecodes) {
  for (std::size_t size = 1; size <= 1200; ++size) {
    const std::string payload = payload_of(size, static_cast<unsigned>(size));
    auto frames = frames_for(payload, 25, 0);
    ASSERT_TRUE(frames) << size << ": " << frames.error().message();
    ASSERT_EQ(frames->size(), 1u) << size;
    EXPECT_EQ(frames->front(), payload);  // plain: any reader shows the wire
    auto code = encode_frame(frames->front(), 25);
    ASSERT_TRUE(code) << size;
    auto png = png_bytes(*code, 2);
    ASSERT_TRUE(png);
    const auto decoded = decode_png(*png);
    ASSERT_EQ(decoded.size(), 1u) << size;
    auto frame = parse_frame(decoded.front());
    ASSERT_TRUE(frame) << size;
    FrameCollector collector;
    ASSERT_TRUE(collector.add(*frame));
    ASSERT_TRUE(collector.complete());
    EXPECT_EQ(*collector.payload(), payload) << size;
  }
}

TEST(QrFrames, SplitPayloadsReassembleInAnyOrderWithRepeats) {
  const std::string payload = payload_of(5000, 7);
  auto frames = frames_for(payload, 5, 0);
  ASSERT_TRUE(frames);
  ASSERT_GT(frames->size(), 10u);
  std::vector<std::string> shuffled = *frames;
  shuffled.insert(shuffled.end(), frames->begin(), frames->begin() + 3);  // repeats
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
  FrameCollector collector;
  for (const std::string& f : shuffled) {
    auto code = encode_frame(f, 5);
    ASSERT_TRUE(code) << code.error().message();
    EXPECT_LE(code->version, 5);
    auto png = png_bytes(*code, 3);
    ASSERT_TRUE(png);
    const auto decoded = decode_png(*png);
    ASSERT_EQ(decoded.size(), 1u);
    EXPECT_EQ(decoded.front(), f);
    auto frame = parse_frame(decoded.front());
    ASSERT_TRUE(frame) << frame.error().message();
    ASSERT_TRUE(collector.add(*frame));
  }
  ASSERT_TRUE(collector.complete());
  EXPECT_EQ(*collector.payload(), payload);
}

// The frame count is the smallest at which every frame fits: the index
// grows a digit at 10 and 100 while chunks shrink by at most a byte.
TEST(QrFrames, EveryFrameFitsTheVersionItWasSplitFor) {
  for (int version : {2, 5, 10}) {
    for (std::size_t size : {100u, 999u, 5000u, 20000u}) {
      auto frames = frames_for(payload_of(size, 5), version, 0);
      if (!frames) {
        EXPECT_EQ(frames.error().reason, Reason::too_long) << version << " " << size;
        continue;
      }
      for (const std::string& f : *frames)
        ASSERT_TRUE(encode_frame(f, version)) << version << " " << size << " " << f.substr(0, 20);
      if (frames->size() > 1) {
        auto fewer = split_into_frames(payload_of(size, 5), frames->size() - 1);
        bool all_fit = true;
        for (const std::string& f : fewer)
          all_fit = all_fit && encode_frame(f, version).has_value();
        EXPECT_FALSE(all_fit) << version << " " << size << ": one frame fewer would do";
      }
    }
  }
}

TEST(QrFrames, HeaderFields) {
  const std::string payload = payload_of(100);
  const auto frames = split_into_frames(payload, 3);
  ASSERT_EQ(frames.size(), 3u);
  const std::string digest = payload_digest(payload);
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(frames[1].rfind("DMPQR:1:2:3:" + digest + ":", 0), 0u);
  auto frame = parse_frame(frames[1]);
  ASSERT_TRUE(frame);
  EXPECT_FALSE(frame->plain);
  EXPECT_EQ(frame->index, 2u);
  EXPECT_EQ(frame->total, 3u);
  EXPECT_EQ(frame->digest, digest);
  // A payload that looks like a frame is framed even alone.
  EXPECT_EQ(split_into_frames("DMPQR:hello", 1).front().rfind("DMPQR:1:1:1:", 0), 0u);
}

TEST(QrFrames, BrokenHeadersAreRefused) {
  const std::string d(32, 'A');
  for (const std::string& bad : std::vector<std::string>{
           std::string("DMPQR:2:1:1:") + d + ":x", "DMPQR:1:0:1:" + d + ":x",
           "DMPQR:1:2:1:" + d + ":x", "DMPQR:1:01:2:" + d + ":x", "DMPQR:1:1:1000:" + d + ":x",
           "DMPQR:1:1:2:" + d + "x", "DMPQR:1:1:2:" + std::string(32, 'a') + ":x",
           "DMPQR:1:1:2:" + d + ":", "DMPQR:1:1", std::string("")}) {
    auto frame = parse_frame(bad);
    EXPECT_FALSE(frame) << bad;
    if (!frame) {
      EXPECT_EQ(frame.error().reason, Reason::malformed);
    }
  }
}

TEST(QrFrames, MixedCorruptAndMissingFramesAreRefused) {
  const auto a = split_into_frames(payload_of(300, 1), 3);
  const auto b = split_into_frames(payload_of(300, 2), 3);
  FrameCollector collector;
  ASSERT_TRUE(collector.add(*parse_frame(a[0])));
  auto mixed = collector.add(*parse_frame(b[1]));
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().rule.find("another payload"), std::string::npos);
  // A plain code beside framed ones is another payload too.
  EXPECT_FALSE(collector.add(*parse_frame("v=dmp1;t=cluster;AAAA")));
  ASSERT_TRUE(collector.add(*parse_frame(a[2])));
  EXPECT_FALSE(collector.complete());
  EXPECT_EQ(collector.missing(), std::vector<std::size_t>{2});
  // Frame 2 with one byte changed: the digest catches it.
  std::string corrupt = a[1];
  corrupt.back() = corrupt.back() == 'A' ? 'B' : 'A';
  ASSERT_TRUE(collector.add(*parse_frame(corrupt)));
  ASSERT_TRUE(collector.complete());
  auto payload = collector.payload();
  ASSERT_FALSE(payload);
  EXPECT_NE(payload.error().rule.find("corrupt"), std::string::npos);
  // The good frame 2 after the corrupt one: the same index with other bytes.
  EXPECT_FALSE(collector.add(*parse_frame(a[1])));
}

TEST(QrCode, TerminalFitAndHalfBlocks) {
  EXPECT_EQ(largest_version_for(80, 24, 2, 2), 5);  // 37 modules + margins in 22 rows
  EXPECT_EQ(largest_version_for(20, 10, 2, 2), 0);
  EXPECT_EQ(largest_version_for(1000, 1000, 2, 2), 40);
  auto code = encode_frame("hello", 1);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->size, 21);
  const std::string text = half_block_text(*code, 2);
  // 25 module rows in 13 lines; no escape sequence.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 13);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace dmp::qr

namespace dmp::qr {
namespace {

TEST(QrFrames, ChunksTogetherOverTheCapAreRefused) {
  const std::string digest(32, 'A');
  FrameCollector collector;
  for (std::size_t i = 1; i <= 3; ++i) {
    auto frame = parse_frame(frame_header(i, 3, digest) + std::string(30000, 'x'));
    ASSERT_TRUE(frame);
    auto added = collector.add(*frame);
    EXPECT_EQ(added.has_value(), i < 3) << i;
  }
  EXPECT_FALSE(collector.complete());
}

}  // namespace
}  // namespace dmp::qr
