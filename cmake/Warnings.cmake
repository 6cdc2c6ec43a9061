# Warnings are errors in every build: a warning is a bug we have not understood yet.
#
# One exception: GCC 12's flow-sensitive -Warray-bounds, -Wrestrict and -Wstringop-overflow report
# false positives inside libstdc++ (std::string and std::vector inserts) once inlining is on
# (GCC bugs 105329, 105651, 107138). They are turned off for GCC 12 only; the sanitizer build
# checks the same bounds at run time.
function(stackgate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                           -Wnon-virtual-dtor -Wcast-align -Wunused
                                           -Woverloaded-virtual -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow
                                             -Wno-stringop-overread)
  endif()
endfunction()
