# The tegami container image: docs/scaling.md's Kubernetes recipe runs it.
#
#   docker build -t registry.example.jp/tegami:0.1 .
#   docker run --rm -v "$PWD:/data" registry.example.jp/tegami:0.1 \
#     tegami run /data/job.yaml -o /data/out
#
# Two stages: the first builds the Debian package exactly as `make deb` does;
# the second is a slim Debian 12 with only that package and what it depends
# on (its shared libraries, the fonts of fonts/fontset.txt and the MeCab
# dictionary), installed by apt from the package's own Depends line.  No
# compiler, no test tools, no source in the image.  Runs as an unprivileged
# user; the audit log defaults to /data/audit.log so that it outlives the
# container (set TEGAMI_AUDIT_LOG or --audit-log to put it elsewhere).

# ---- build ----------------------------------------------------------------------
FROM debian:bookworm-slim AS build
# the "build" part of .ci/packages.txt, and dpkg-dev + file for CPack
# (tests/cli/dockerfile_packages.sh checks the two lists agree)
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake pkg-config gcc make libc6-dev \
      libglib2.0-dev libcairo2-dev libpango1.0-dev libharfbuzz-dev libfontconfig-dev \
      libfreetype-dev libqrencode-dev libyaml-dev libjson-glib-dev libqpdf-dev \
      libmecab-dev librsvg2-dev gettext liblcms2-dev \
      dpkg-dev file \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr -DTG_DATA_DIR=/usr/share/tegami \
 && cmake --build /build -j"$(nproc)" \
 && cd /build && cpack -G DEB && mv tegami_*.deb /tegami.deb

# ---- runtime --------------------------------------------------------------------
FROM debian:bookworm-slim
COPY --from=build /tegami.deb /tmp/tegami.deb
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/tegami.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/tegami.deb \
 && useradd --system --create-home --home-dir /home/tegami --uid 10001 tegami \
 && mkdir -m 0700 /data && chown tegami: /data
USER tegami
WORKDIR /data
ENV TEGAMI_AUDIT_LOG=/data/audit.log
CMD ["tegami", "--help"]
