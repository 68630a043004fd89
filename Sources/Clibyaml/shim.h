#ifndef PROMOTE_CLIBYAML_SHIM_H
#define PROMOTE_CLIBYAML_SHIM_H
/* libyaml's API imports into Swift as is; nothing variadic needs wrapping. */
#include <yaml.h>
#endif
