// Serves the built web UI (web/dist) for every path outside /api. Rules:
//   - only files under the root are served: ".." segments, encoded slashes, NUL and symlinks
//     leading outside are refused (404), whatever the encoding;
//   - a path with no file behind it and no extension in its last segment is a client-side route
//     of the single-page app, answered with index.html (SPA fallback); "/x.js" missing is 404;
//   - Vite's content-hashed files under /assets/ are cached for a year (immutable); everything
//     else, index.html above all, must be revalidated (no-cache) so a new build shows at once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "api/http_types.h"

namespace qiangji::api {

// "text/javascript; charset=utf-8" for "app.js"; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view filename);

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  // GET or HEAD (HEAD: same headers, empty body); other methods 405. `path` is the target's
  // path, still percent-encoded.
  HttpResponse Serve(std::string_view method, std::string_view path) const;

 private:
  HttpResponse ServeFile(const std::filesystem::path& file, std::string_view method) const;
  std::filesystem::path root_;  // canonical, or empty when the directory does not exist
};

}  // namespace qiangji::api
