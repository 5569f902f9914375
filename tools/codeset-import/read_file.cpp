#include "read_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace claimaudit::codeset_import {
namespace {

std::string line_reached(const std::string& text) {
  return "line " + std::to_string(std::count(text.begin(), text.end(), '\n') + 1);
}

}  // namespace

FileBytes read_file_bytes(const std::filesystem::path& path, const std::string& display_name) {
  FileBytes result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = display_name + ": cannot open";
    return result;
  }
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (path.extension() != ".gz") {
    result.bytes = std::move(raw);
    return result;
  }
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    result.error = display_name + ": zlib initialisation failed";
    return result;
  }
  stream.next_in = reinterpret_cast<Bytef*>(raw.data());
  stream.avail_in = static_cast<uInt>(raw.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  const char* message = stream.msg;
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  if (rc == Z_STREAM_END && !trailing) {
    result.bytes = std::move(out);
  } else if (rc == Z_STREAM_END) {
    result.error =
        display_name + ": " + line_reached(out) + ": data after the end of the gzip stream";
  } else if (rc == Z_BUF_ERROR || rc == Z_OK) {
    result.error = display_name + ": " + line_reached(out) +
                   ": gzip stream ends early (the file is truncated)";
  } else {
    result.error = display_name + ": " + line_reached(out) + ": gzip data corrupt (" +
                   (message != nullptr ? message : "zlib error " + std::to_string(rc)) + ")";
  }
  return result;
}

}  // namespace claimaudit::codeset_import
