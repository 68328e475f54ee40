#!/bin/sh
# Copies into the directory $1 the operating system the image runs on: the files of the few Debian
# packages byoe's JVM and native libraries link against, dash as /bin/sh (the entry point), bash,
# and BusyBox for the everyday commands of looking inside a container (ls, cat, grep, ps, du, ...;
# GNU coreutils and friends would be 9 MB more). What a full Debian base adds on top - apt, dpkg,
# perl, glibc's iconv modules, time zones (Java has its own) - is ~65 MB that nothing in the image
# uses (issue #23, goal 5). Runs as root in a bookworm build stage with busybox installed.
set -eu
root="$1"
# Runtime libraries (glibc, GCC's C++ and OpenMP runtimes, zlib for OpenBLAS), then the shells and
# tools and what they link against.
packages="libc6 libgcc-s1 libstdc++6 libgomp1 zlib1g base-files dash bash libtinfo6 busybox"

mkdir -p "$root"
for d in bin sbin lib lib64; do
  mkdir -p "$root/usr/$d"
  ln -s "usr/$d" "$root/$d"
done
# Package file lists name /lib/... and /bin/...; bookworm keeps those under /usr, so each path is
# copied to where it really is. Documentation goes, copyright notices stay.
for p in $packages; do
  dpkg-query -L "$p"
done | sort -u | while read -r f; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  [ -d "$f" ] && [ ! -L "$f" ] && continue
  case "$f" in
    /usr/share/doc/*/copyright) ;;
    /usr/share/doc/* | /usr/share/man/* | /usr/share/info/* | /usr/share/locale/* \
      | /usr/share/lintian/* | */gconv/* | /usr/share/bash-completion/*) continue ;;
  esac
  real="$(readlink -f "$(dirname "$f")")/$(basename "$f")"
  mkdir -p "$root$(dirname "$real")"
  cp -a "$f" "$root$real"
done

# What the packages' install scripts would have made, and what the C library reads.
cp -a /etc/passwd /etc/group /etc/nsswitch.conf /etc/host.conf /etc/ld.so.conf /etc/shells \
  "$root/etc/"
cp -a /etc/ld.so.conf.d "$root/etc/"
ln -sf dash "$root/usr/bin/sh"
# One link per BusyBox command, where Debian's packages would put it (an existing file stays).
chroot "$root" /bin/busybox --list-full | while read -r cmd; do
  [ -e "$root/$cmd" ] || [ -L "$root/$cmd" ] || ln -s /bin/busybox "$root/$cmd"
done
mkdir -p "$root/root" "$root/home" "$root/run" "$root/var/tmp" "$root/tmp"
chmod 700 "$root/root"
chmod 1777 "$root/tmp" "$root/var/tmp"
ldconfig -r "$root"

# Every program and library copied must find what it links against inside the new root.
missing=$(chroot "$root" /bin/sh -c 'true' 2>&1 || echo "the shell does not run")
[ -z "$missing" ] || { echo "minimal OS: $missing" >&2; exit 1; }
find "$root" -type f \( -name '*.so*' -o -perm -u+x \) | while read -r f; do
  if head -c 4 "$f" | grep -q 'ELF'; then
    out=$(chroot "$root" /usr/lib64/ld-linux-x86-64.so.2 --list "${f#"$root"}" 2>&1 || true)
    case "$out" in *"not found"*) echo "minimal OS: ${f#"$root"}: $out" >&2; exit 1 ;; esac
  fi
done
