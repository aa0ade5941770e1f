import { bool, int64, list, type OpenApiSchema, obj, str, stringMap, time } from './schema.ts';

/** meta/v1 ObjectMeta: the fields the simulated store keeps and sets. */
export const objectMeta: OpenApiSchema = obj(
  "Standard object's metadata: name, namespace, labels, annotations and the fields the server sets.",
  {
    name: str('Name must be unique within a namespace; a lowercase RFC 1123 subdomain.'),
    generateName: str('A prefix the server uses to generate a unique name when name is not given.'),
    namespace: str('The namespace the object lives in; empty for cluster-scoped objects.'),
    labels: stringMap('Map of string keys and values used to organise and select objects.'),
    annotations: stringMap('Unstructured key-value data stored with the object, not used for selection.'),
    uid: str('Unique identifier the server assigns on creation. Read-only.'),
    resourceVersion: str(
      'An opaque value that changes on every write; used for optimistic concurrency and watches. Read-only.',
    ),
    generation: int64('A sequence number for changes to the desired state (spec). Read-only.'),
    creationTimestamp: time('When the server created the object. Read-only.'),
    deletionTimestamp: time('When the object will be deleted; set by the server. Read-only.'),
    finalizers: list('Conditions that must be cleared before the object is deleted.', {
      type: 'string',
      description: '',
    }),
    ownerReferences: list(
      'Objects this object depends on; the garbage collector deletes it with its controller owner.',
      obj(
        'A reference to an owning object in the same namespace.',
        {
          apiVersion: str('API version of the owner.'),
          kind: str('Kind of the owner.'),
          name: str('Name of the owner.'),
          uid: str('UID of the owner.'),
          controller: bool('True when the owner is the managing controller.'),
          blockOwnerDeletion: bool('True when the owner cannot be deleted before this object.'),
        },
        ['apiVersion', 'kind', 'name', 'uid'],
      ),
      'uid',
    ),
  },
);

/** The metadata of a pod template: labels and annotations only. */
export const templateMeta: OpenApiSchema = obj('Labels and annotations the created pods carry.', {
  labels: stringMap('Labels of the pods; must match the selector.'),
  annotations: stringMap('Annotations of the pods.'),
});

/** meta/v1 LabelSelector. */
export const labelSelector = (description: string): OpenApiSchema =>
  obj(description, {
    matchLabels: stringMap('Labels an object must carry, all of them (logical AND).'),
    matchExpressions: list(
      'Label requirements, all of which must hold.',
      obj(
        'A key, an operator and values.',
        {
          key: str('The label key the requirement applies to.'),
          operator: str('How the key relates to the values.', ['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: list('Values for In and NotIn; empty for Exists and DoesNotExist.', {
            type: 'string',
            description: '',
          }),
        },
        ['key', 'operator'],
      ),
    ),
  });

/** A status condition (type, status, reason, message and times). */
export const conditions = (description: string): OpenApiSchema =>
  list(
    description,
    obj(
      "One observation of the object's state.",
      {
        type: str('Type of the condition, e.g. Ready or Available.'),
        status: str('Status of the condition.', ['True', 'False', 'Unknown']),
        observedGeneration: int64('The generation of the object the condition was set for.'),
        reason: str('A one-word CamelCase reason for the last transition.'),
        message: str('A human-readable message about the last transition.'),
        lastTransitionTime: time('When the condition last changed status.'),
        lastUpdateTime: time('When the condition was last updated.'),
        lastHeartbeatTime: time('When the condition was last probed.'),
      },
      ['type', 'status'],
    ),
    'type',
  );
