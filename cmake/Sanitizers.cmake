# STACKGATE_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for every target, with
# -fno-sanitize-recover so that any finding fails the test that triggered it.
if(STACKGATE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()
