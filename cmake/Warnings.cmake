# Warnings are errors in every build: a warning is a bug we have not understood yet.
function(stackgate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                           -Wnon-virtual-dtor -Wcast-align -Wunused
                                           -Woverloaded-virtual -Wimplicit-fallthrough)
endfunction()
