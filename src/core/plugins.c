#include "core/plugins.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

const char *sw_plugin_state_name(enum sw_plugin_state s)
{
    static const char *const names[] = {"ok", "missing", "modified", "unpinned", "unreadable"};
    return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

const struct sw_wash_era *sw_wash_era_of(const struct sw_semver *v)
{
    for (size_t i = 0; i < sw_wash_eras_len; i++) {
        const struct sw_wash_era *e = &sw_wash_eras[i];
        struct sw_semver lo, hi;
        if (sw_semver_parse(e->min, &lo, NULL) < 0 || sw_semver_cmp(v, &lo) < 0)
            continue;
        if (e->max_excl &&
            (sw_semver_parse(e->max_excl, &hi, NULL) < 0 || sw_semver_cmp(v, &hi) >= 0))
            continue;
        return e;
    }
    return NULL;
}

int sw_wash_plugin_pkg(const struct sw_semver *wash, size_t nplugins, const char **pkg,
                       struct sw_error *err)
{
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(wash, vs, sizeof(vs));
    const struct sw_wash_era *e = sw_wash_era_of(wash);
    *pkg = e ? e->plugin_pkg : NULL;
    if (*pkg || nplugins == 0)
        return 0;
    if (e && e->line == SW_LINE_OLD)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "wash %s is the old 0.x line, which does not load these plugins; "
                            "the plugins in the lock need wash 1.0.0-beta.1 to %s",
                            vs, sw_wash_last_with_plugins);
    return sw_error_set(err, SW_EXIT_USAGE,
                        "wash %s has no plugin system (it was removed in 2.0.0-rc.8), but the "
                        "lock lists %zu plugin%s: the last wash that loads plugins is %s; pin it "
                        "with 'setup-wash lock --version %s', or remove the plugins",
                        vs, nplugins, nplugins == 1 ? "" : "s", sw_wash_last_with_plugins,
                        sw_wash_last_with_plugins);
}

#define PLUGIN_IFACE "wasmcloud:wash/plugin@"

/* The wash versions that load plugin package pkg, as "1.0.0-beta.6 to 2.0.0-rc.7". */
static void loaders(const char *pkg, char *buf, size_t n)
{
    snprintf(buf, n, "no wash release");
    for (size_t i = 0; i < sw_wash_eras_len; i++)
        if (sw_wash_eras[i].plugin_pkg && strcmp(sw_wash_eras[i].plugin_pkg, pkg) == 0)
            snprintf(buf, n, "wash %s up to (not including) %s", sw_wash_eras[i].min,
                     sw_wash_eras[i].max_excl ? sw_wash_eras[i].max_excl : "today");
}

int sw_plugin_check(const struct sw_wasm_info *info, const char *name, const char *pkg,
                    struct sw_error *err)
{
    if (info->kind == SW_WASM_CORE_MODULE)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "plugin '%s' is a core WebAssembly module, not a component: wash "
                            "plugins are components exporting " PLUGIN_IFACE "%s",
                            name, pkg);
    const char *have = sw_wasm_plugin_version(info);
    if (have && strcmp(have, pkg) == 0)
        return 0;
    if (have) {
        char who[160];
        loaders(have, who, sizeof(who));
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "plugin '%s' exports " PLUGIN_IFACE "%s, but this wash loads "
                            "@%s: it is built for %s; use a plugin build for @%s or pin a wash "
                            "that loads @%s",
                            name, have, pkg, who, pkg, have);
    }
    struct sw_buf names = SW_BUF_INIT;
    for (size_t i = 0; i < info->nexports && i < 8; i++) {
        char shown[128];
        sw_sanitize(shown, sizeof(shown), info->exports[i]);
        sw_buf_printf(&names, "%s'%s'", i ? ", " : "", shown);
    }
    if (info->nexports > 8)
        sw_buf_printf(&names, " and %zu more", info->nexports - 8);
    sw_error_set(err, SW_EXIT_VERIFY,
                 "'%s' is a component but not a wash plugin: it exports %s, not " PLUGIN_IFACE
                 "%s",
                 name, info->nexports ? sw_buf_str(&names) : "nothing", pkg);
    sw_buf_free(&names);
    return -1;
}

char *sw_wash_data_dir(enum sw_os os, const char *xdg_data_home, const char *home,
                       const char *appdata)
{
    if (os == SW_OS_WINDOWS)
        return appdata && appdata[0] ? sw_xasprintf("%s\\wasmCloud Team\\wash\\data", appdata)
                                     : NULL;
    if (xdg_data_home && xdg_data_home[0])
        return sw_xasprintf("%s/wash", xdg_data_home);
    return home && home[0] ? sw_xasprintf("%s/.local/share/wash", home) : NULL;
}
