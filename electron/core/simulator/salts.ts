// One salt per kind of generated value, so (seed, index) streams never overlap: a call's leg
// id and its session id are independent even though both come from call #i.
export const SALT = {
  number: 1,
  profile: 2,
  billingGroup: 3,
  call: 10,
  callLeg: 11,
  callSession: 12,
  callControl: 13,
  recordId: 14,
  sipLeg: 15,
  sipRecordId: 16,
  callDelivery: 17,
  recordingRecordId: 20,
  callEvent: 18,
  callDeliveryId: 19,
  message: 30,
  messageId: 31,
  messageDelivery: 32,
  messageEvent: 33,
  messageDeliveryId: 34,
  faults: 50,
} as const;
