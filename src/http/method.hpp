// Method is the HTTP request method as the router knows it. Plain enum; thread-safe.
#pragma once

#include <string_view>

namespace sg::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view method_name(Method m);
Method method_from(std::string_view text);

}  // namespace sg::http
