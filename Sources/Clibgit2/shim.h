#ifndef PROMOTE_CLIBGIT2_SHIM_H
#define PROMOTE_CLIBGIT2_SHIM_H
/* Hide the deprecated names (giterr_*, git_cred_*, ...). */
#define GIT_DEPRECATE_HARD 1
#include <git2.h>
#include <git2/sys/transport.h>
#include <git2/sys/stream.h>

/* git_libgit2_opts is variadic, so Swift cannot call it: one typed wrapper per option we use.
   Never pass raw option numbers (Debian's backports renumber options). */
static inline int pb_git_set_owner_validation(int enabled) {
  return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int pb_git_set_search_path(git_config_level_t level, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int pb_git_set_ssl_cert_locations(const char *file, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
static inline int pb_git_set_user_agent(const char *agent) {
  return git_libgit2_opts(GIT_OPT_SET_USER_AGENT, agent);
}
static inline int pb_git_enable_strict_object_creation(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}
static inline int pb_git_enable_fsync_gitdir(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}
static inline int pb_git_set_cache_max_size(ssize_t bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}
static inline int pb_git_set_cache_object_limit(git_object_t type, size_t size) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

#include "pb_stream.h"
#endif
