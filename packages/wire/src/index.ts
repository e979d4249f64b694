// @mesos-ts/wire: the bytes of the Mesos v1 HTTP APIs. RecordIO framing, the protobuf and JSON codecs,
// content negotiation, Mesos duration strings and a streaming HTTP client.
export { WireError, isWireError, type WireErrorCode, type WireErrorOptions } from './errors.js';
export { DEFAULT_MAX_RECORD_BYTES, RecordIODecoder, encodeRecord, type RecordIODecoderOptions } from './recordio.js';
export { encodeProtobuf, decodeProtobuf } from './protobuf-codec.js';
export { encodeJson, decodeJson } from './json-codec.js';
export { APPLICATION_JSON, APPLICATION_PROTOBUF, encode, decode, type ContentType } from './codec.js';
export { acceptsMediaType, requestContentType, responseContentType, type Negotiated } from './content-type.js';
export { formatDuration, parseDuration, type DurationUnit } from './duration.js';
export {
  post,
  subscribe,
  type CallRequest,
  type CallResponse,
  type EventStream,
  type Redirect,
} from './http-client.js';
// ZooKeeper building blocks of high availability (leader election and detection, versioned documents).
export { ZooKeeperError, isZooKeeperError, type ZooKeeperErrorCode } from './zookeeper/zk-error.js';
export { formatZkUrl, parseZkUrl, validateZkPath, type ZkAuth, type ZkUrl } from './zookeeper/zk-url.js';
export { DEFAULT_ZK_SESSION_TIMEOUT_MS, ZkSession, zkErrorName, type ZkCallback, type ZkSessionEvent, type ZkSessionOptions, type ZkState } from './zookeeper/zk-session.js';
export { MEMBER_PREFIX, leaderOf, members, sequenceOf, standingOf, type Member, type Standing } from './zookeeper/election.js';
export { decodeMasterInfo, encodeMasterInfo, formatLeader, ipv4FromNetworkOrder, ipv4ToNetworkOrder, leaderAddressOf, type LeaderAddress } from './zookeeper/master-info.js';
export { ZooKeeperMasterDetector, type DetectedLeader, type ZooKeeperMasterDetectorOptions } from './zookeeper/master-detector.js';
export { ZooKeeperContender, type LeadershipEvent, type ZooKeeperContenderOptions } from './zookeeper/contender.js';
export { ZooKeeperLeaderView } from './zookeeper/leader-view.js';
export { CONFIRM_INTERVAL_MS, FENCE_MS, MIN_REFUSALS, PROBE_LEASE_MS, REFUSED_SPAN_MS, RefusalStreak, probeTcp, type LeaderProbeOptions, type ProbeOutcome } from './zookeeper/leader-probe.js';
export { DEFAULT_CHUNK_BYTES } from './zookeeper/document-chunks.js';
export { ZooKeeperDocumentStore, type StoredDocument, type ZooKeeperDocumentStoreOptions } from './zookeeper/document-store.js';
export { parseMasters, resolveLeader, type ResolveLeaderOptions } from './zookeeper/resolve-leader.js';
// Security: credentials files, HTTP Basic, upstream's ACLs (local authorizer) and libprocess-style TLS.
export { SecurityConfigError, parseCredential, parseCredentials, type Credential } from './security/credentials.js';
export {
  BasicAuthenticator,
  REALM_READONLY_AGENT,
  REALM_READONLY_MASTER,
  REALM_READWRITE_AGENT,
  REALM_READWRITE_MASTER,
  REALM_SCHEDULER,
  basicAuthorization,
  parseBasic,
  type AuthResult,
} from './security/basic-auth.js';
export { ACL_ACTIONS, PERMISSIVE, authorized, parseAcls, type Acl, type AclAction, type AclEntity, type Acls } from './security/acls.js';
export { clientTlsOptions, createServer, defaultClientTls, serverTlsOptions, setClientTls, tlsFromEnv, type TlsConfig } from './security/tls.js';
