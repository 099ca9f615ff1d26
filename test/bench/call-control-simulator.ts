// The simulator as the import benches use it, in its own process: N calls, each with exactly
// one call-control record (no trunk parts, WebRTC legs, missing or duplicated records, no
// messages), so a bench can count that every record arrived.
import { startSimulatorProcess } from '../../electron/core/simulator/index.ts';

export function startCallControlSimulator(calls: number, startTimeoutMs = 600_000) {
  return startSimulatorProcess({
    calls,
    messages: 0,
    sipTrunkingRate: 0,
    webrtcRate: 0,
    neverRecordRate: 0,
    duplicateRecordRate: 0,
    warm: true,
    startTimeoutMs,
  });
}
