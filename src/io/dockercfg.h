/* Registry credentials from the docker config: `auths` entries, a `credsStore`, and
 * per-registry `credHelpers` (docker-credential-<name> get). */
#ifndef SW_DOCKERCFG_H
#define SW_DOCKERCFG_H

#include <stdbool.h>

#include "core/error.h"

struct sw_docker_creds {
    bool found;
    char *username;
    char *secret;
};

/* Looks up credentials for a registry ("ghcr.io", "127.0.0.1:5000", "docker.io") in
 * `config_path` (the caller resolves $DOCKER_CONFIG; NULL: <home>/.docker/config.json). No
 * config, or no entry, is not an error: found stays false. A malformed config or a credential
 * helper that fails (other than "credentials not found") is an error (SW_EXIT_USAGE naming the
 * file or the helper). Helpers are looked up in `path_env` (PATH). Free with
 * sw_docker_creds_clear. */
int sw_docker_creds_lookup(const char *registry, const char *config_path, const char *home,
                           const char *path_env, struct sw_docker_creds *out,
                           struct sw_error *err);

/* Wipes and frees the strings. */
void sw_docker_creds_clear(struct sw_docker_creds *c);

#endif
