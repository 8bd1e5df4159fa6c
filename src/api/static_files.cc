#include "api/static_files.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "api/router.h"

namespace qiangji::api {
namespace fs = std::filesystem;

std::string_view ContentTypeFor(std::string_view filename) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(filename.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [suffix, type] : kTypes) {
    if (ext == suffix) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  root_ = fs::canonical(root, ec);
  if (ec) root_.clear();
}

namespace {

HttpResponse PlainError(int status, std::string_view text) {
  HttpResponse res;
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = std::string(text) + "\n";
  res.AddHeader("Cache-Control", "no-store");
  return res;
}

// True when `file` (canonical) lies inside `root` (canonical).
bool Inside(const fs::path& root, const fs::path& file) {
  auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return r == root.end();
}

}  // namespace

HttpResponse StaticFiles::Serve(std::string_view method, std::string_view path) const {
  if (method != "GET" && method != "HEAD") {
    HttpResponse res = PlainError(405, "method not allowed");
    res.AddHeader("Allow", "GET, HEAD");
    return res;
  }
  if (root_.empty()) return PlainError(404, "the web UI is not built (run: make web)");
  std::vector<std::string> segments;
  if (!SplitPath(path, segments)) return PlainError(404, "not found");
  fs::path relative;
  for (const std::string& s : segments) {
    // Refuse anything that could climb or hide: "..", ".", dot files, backslashes, drive colons.
    if (s.empty() || s.front() == '.' || s.find('\\') != std::string::npos ||
        s.find(':') != std::string::npos)
      return PlainError(404, "not found");
    relative /= s;
  }
  std::error_code ec;
  fs::path candidate = root_ / relative;
  if (!segments.empty() && fs::is_regular_file(candidate, ec)) {
    fs::path real = fs::canonical(candidate, ec);
    if (ec || !Inside(root_, real)) return PlainError(404, "not found");
    return ServeFile(real, method);
  }
  // A missing file with an extension is a real 404; anything else is an SPA route.
  if (!segments.empty() && segments.back().find('.') != std::string::npos)
    return PlainError(404, "not found");
  return ServeFile(root_ / "index.html", method);
}

HttpResponse StaticFiles::ServeFile(const fs::path& file, std::string_view method) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return PlainError(404, "not found");
  HttpResponse res;
  res.content_type = std::string(ContentTypeFor(file.filename().string()));
  res.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const fs::path relative = file.lexically_relative(root_);
  const bool hashed = !relative.empty() && *relative.begin() == "assets";
  // Headers for every file, and the ones only an HTML page needs.
  static constexpr std::pair<std::string_view, std::string_view> kHtmlHeaders[] = {
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'"},
  };
  constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
  res.AddHeader("Cache-Control", hashed ? kImmutable : std::string_view("no-cache"));
  res.AddHeader("X-Content-Type-Options", "nosniff");
  if (res.content_type.starts_with("text/html")) {
    for (const auto& [name, value] : kHtmlHeaders) res.AddHeader(name, value);
  }
  if (method == "HEAD") {
    res.AddHeader("Content-Length", std::to_string(res.body.size()));
    res.body.clear();
  }
  return res;
}

}  // namespace qiangji::api
