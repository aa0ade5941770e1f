/**
 * Decodes the one protobuf body a client sends the simulated server: `kubectl autoscale` POSTs its
 * `autoscaling/v1` HorizontalPodAutoscaler as `application/vnd.kubernetes.protobuf` (the `k8s\0`
 * magic, then a `runtime.Unknown` envelope around the object), whatever the server prefers. Only
 * the fields that command sets are read: name, namespace, labels, annotations and the spec.
 */

type Fields = Map<number, Array<bigint | Buffer>>;

function varint(buf: Buffer, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length; i++) {
    const b = buf[i]!;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7n;
  }
  throw new Error('truncated varint');
}

/** One protobuf message's fields: varints as bigint, length-delimited as bytes. */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer;
    if (wire === 0) [value, at] = varint(buf, next);
    else if (wire === 2) {
      const [len, start] = varint(buf, next);
      value = buf.subarray(start, start + Number(len));
      at = start + Number(len);
    } else if (wire === 1) {
      value = buf.subarray(next, next + 8);
      at = next + 8;
    } else if (wire === 5) {
      value = buf.subarray(next, next + 4);
      at = next + 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const str = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};
const int = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : undefined;
};
const msg = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? fields(v) : (new Map() as Fields);
};
const map = (f: Fields, n: number): Record<string, string> | undefined => {
  const entries = (f.get(n) ?? []).filter(Buffer.isBuffer).map((e) => fields(e));
  return entries.length
    ? Object.fromEntries(entries.map((e) => [str(e, 1) ?? '', str(e, 2) ?? '']))
    : undefined;
};

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The `autoscaling/v1` HorizontalPodAutoscaler in a protobuf body, as JSON. */
export function decodeHpaV1Protobuf(body: Buffer): Record<string, unknown> {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('not a Kubernetes protobuf body');
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1);
  const raw = unknown.get(2)?.[0];
  if (!Buffer.isBuffer(raw)) throw new Error('protobuf body without an object');
  const hpa = fields(raw);
  const meta = msg(hpa, 1);
  const spec = msg(hpa, 2);
  const ref = msg(spec, 1);
  return {
    apiVersion: str(typeMeta, 1) ?? 'autoscaling/v1',
    kind: str(typeMeta, 2) ?? 'HorizontalPodAutoscaler',
    metadata: defined({
      name: str(meta, 1),
      namespace: str(meta, 3),
      labels: map(meta, 11),
      annotations: map(meta, 12),
    }),
    spec: defined({
      scaleTargetRef: defined({ kind: str(ref, 1), name: str(ref, 2), apiVersion: str(ref, 3) }),
      minReplicas: int(spec, 2),
      maxReplicas: int(spec, 3),
      targetCPUUtilizationPercentage: int(spec, 4),
    }),
  };
}
