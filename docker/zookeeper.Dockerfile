# ZooKeeper from Debian's package on the same base as the runtime image (BASE_IMAGE: a Debian bookworm image;
# mesos-ts/base:bookworm works, it is made locally). apt reaches Debian's mirror at build time only.
#   docker build --network=host -f docker/zookeeper.Dockerfile -t mesos-ts/zookeeper:dev docker
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zookeeper \
    && rm -rf /var/lib/apt/lists/*
# Standalone, on the address and port given at run time (host networking: loopback only).
ENV ZK_ADDRESS=127.0.0.1 ZK_PORT=2181
CMD ["sh", "-c", "mkdir -p /var/lib/zookeeper-data && printf 'tickTime=500\\ndataDir=/var/lib/zookeeper-data\\nclientPortAddress=%s\\nclientPort=%s\\nadmin.enableServer=false\\n4lw.commands.whitelist=ruok,srvr\\n' \"$ZK_ADDRESS\" \"$ZK_PORT\" > /tmp/zoo.cfg && exec java -Xms64m -Xmx256m -XX:+UseSerialGC -cp '/usr/share/java/*:/etc/zookeeper/conf' org.apache.zookeeper.server.quorum.QuorumPeerMain /tmp/zoo.cfg"]
