// Debian's libhiredis-dev (0.14): only the reply reader and reply objects are used.
#include <hiredis/hiredis.h>
