#!/bin/sh
# Per-user install of the QMSR Ready bundle on Linux: no root, nothing outside your home folder.
#
#   ./install.sh             copy this folder to ~/.local/opt/qmsr-ready, add `qmsr-ready` to
#                            ~/.local/bin, the menu entry, the icon and the .qmsr file type
#   ./install.sh --uninstall remove all of that again (your workspaces are never touched)
#
# Run it from the unpacked bundle (the folder holding the `qmsr-ready` program). Set PREFIX to
# install somewhere other than ~/.local.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
DATA=${XDG_DATA_HOME:-"$HOME/.local/share"}
APP_DIR="$PREFIX/opt/qmsr-ready"
BIN_DIR="$PREFIX/bin"
ICONS="$DATA/icons/hicolor"
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
}

# After an uninstall: a cache that could not be rebuilt (no tool here) still names our icon and
# file type, and one that only we needed is litter. Remove those; keep others' files.
forget_stale_caches() {
    if [ -d "$ICONS" ]; then
        if [ -z "$(find "$ICONS" -type f ! -name icon-theme.cache ! -name index.theme -print -quit)" ] \
            || ! { command -v gtk-update-icon-cache >/dev/null 2>&1 || command -v update-icon-caches >/dev/null 2>&1; }; then
            rm -f "$ICONS/icon-theme.cache"  # GTK reads the folders directly without it
        elif ! command -v gtk-update-icon-cache >/dev/null 2>&1; then
            update-icon-caches "$ICONS" >/dev/null 2>&1 || rm -f "$ICONS/icon-theme.cache"
        fi
        find "$ICONS" -depth -type d -empty -delete 2>/dev/null || true
    fi
    if [ -d "$DATA/mime" ]; then
        if [ -z "$(find "$DATA/mime/packages" -type f -print -quit 2>/dev/null)" ]; then
            # No user MIME packages left: everything else in ~/.local/share/mime is generated.
            find "$DATA/mime" -mindepth 1 -maxdepth 1 ! -name packages -exec rm -rf {} +
            rmdir "$DATA/mime/packages" "$DATA/mime" 2>/dev/null || true
        elif ! command -v update-mime-database >/dev/null 2>&1; then
            echo "(Other file types remain in $DATA/mime; run update-mime-database there to drop .qmsr from its cache.)"
        fi
    fi
    if [ -z "$(find "$DATA/applications" -name '*.desktop' -print -quit 2>/dev/null)" ]; then
        rm -f "$DATA/applications/mimeinfo.cache"  # it indexed only our entry
    fi
    rmdir "$PREFIX/opt" 2>/dev/null || true  # only if we made it and it is empty now
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$BIN_DIR/qmsr-ready" "$DATA/applications/qmsr-ready.desktop" \
        "$DATA/mime/packages/qmsr-ready-mime.xml" "$ICONS/scalable/apps/qmsr-ready.svg"
    for size in $SIZES; do
        rm -f "$ICONS/${size}x${size}/apps/qmsr-ready.png" \
            "$ICONS/${size}x${size}/mimetypes/application-x-qmsr-workspace.png"
    done
    rm -rf "$APP_DIR"
    refresh_caches
    forget_stale_caches
    echo "QMSR Ready removed. Your workspaces (*.qmsr) and settings were left as they were."
    exit 0
fi

if [ ! -x "$HERE/qmsr-ready" ] || [ ! -d "$HERE/_internal" ]; then
    echo "install.sh: run me from the unpacked QMSR Ready folder (beside the qmsr-ready program)." >&2
    exit 2
fi

RES="$HERE/_internal/qmsr_ready/resources/icons"
if [ "$HERE" != "$APP_DIR" ]; then
    mkdir -p "$PREFIX/opt"
    rm -rf "$APP_DIR.new"
    cp -R "$HERE" "$APP_DIR.new"
    rm -rf "$APP_DIR"
    mv "$APP_DIR.new" "$APP_DIR"
fi
mkdir -p "$BIN_DIR" "$DATA/applications" "$DATA/mime/packages" "$ICONS/scalable/apps"
ln -sf "$APP_DIR/qmsr-ready" "$BIN_DIR/qmsr-ready"
cp "$RES/app.svg" "$ICONS/scalable/apps/qmsr-ready.svg"
for size in $SIZES; do
    mkdir -p "$ICONS/${size}x${size}/apps" "$ICONS/${size}x${size}/mimetypes"
    cp "$RES/app/$size.png" "$ICONS/${size}x${size}/apps/qmsr-ready.png"
    cp "$RES/app/$size.png" "$ICONS/${size}x${size}/mimetypes/application-x-qmsr-workspace.png"
done
cp "$HERE/share/qmsr-ready-mime.xml" "$DATA/mime/packages/qmsr-ready-mime.xml"
# The menu entry names the installed program by its full path: ~/.local/bin may not be on PATH.
sed -e "s|^Exec=qmsr-ready |Exec=$APP_DIR/qmsr-ready |" -e "s|^TryExec=qmsr-ready$|TryExec=$APP_DIR/qmsr-ready|" \
    "$HERE/share/qmsr-ready.desktop" > "$DATA/applications/qmsr-ready.desktop"
refresh_caches
echo "QMSR Ready installed in $APP_DIR."
echo "Start it from your applications menu, double-click a .qmsr file, or run: $BIN_DIR/qmsr-ready"
case ":$PATH:" in *":$BIN_DIR:"*) ;; *) echo "(Add $BIN_DIR to PATH to type qmsr-ready in a terminal.)";; esac
