# One image with every mesos-ts command (mesos-master, mesos-agent, mesos, mesos-execute, kafka-mesos,
# marathon, …) built from this working tree after `npm ci` (node_modules and every package's dist/).
# BASE_IMAGE is any image with Node 20 on glibc: the public node image by default; the tests use
# mesos-ts/base:bookworm, made locally with debootstrap (see docker/README.md), because no registry is reachable.
#   docker build -f docker/runtime.Dockerfile -t mesos-ts/runtime:dev .
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
WORKDIR /opt/mesos-ts
COPY . /opt/mesos-ts
ENV PATH=/opt/mesos-ts/node_modules/.bin:/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin \
    NODE_ENV=production
# No default command: the compose file (or `docker run … mesos-master --help`) names the role.
CMD ["mesos", "--help"]
