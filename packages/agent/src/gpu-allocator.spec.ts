import { describe, expect, it } from 'vitest';
import { FlagsError } from './flags.js';
import { GpuAllocator, GpuError, gpuDevices } from './gpu-allocator.js';

describe('gpu devices', () => {
  it.each([
    [undefined, 2, [0, 1]],
    [[3, 5], 2, [3, 5]],
    [undefined, 0, []],
  ])('--nvidia_gpu_devices=%j with gpus:%d hands out %j', (flag, gpus, devices) => expect(gpuDevices(flag, gpus)).toEqual(devices));

  it.each([
    [[0, 1], 1, '--nvidia_gpu_devices lists 2 device(s) (0,1) but the agent\'s resources have gpus:1'],
    [undefined, 1.5, 'whole number of devices'],
  ])('refuses %j with gpus:%d', (flag, gpus, message) => {
    expect(() => gpuDevices(flag, gpus)).toThrow(FlagsError);
    expect(() => gpuDevices(flag, gpus)).toThrow(message);
  });
});

describe('GpuAllocator', () => {
  it('gives each container distinct devices, lowest first, until released', () => {
    const a = new GpuAllocator([0, 1, 2]);
    expect(a.allocate('c1', 2)).toEqual([0, 1]);
    expect(a.allocate('c1', 2)).toEqual([0, 1]);
    expect(a.allocate('c2', 0)).toEqual([]);
    expect(() => a.allocate('c3', 2)).toThrow(GpuError);
    expect(() => a.allocate('c3', 2)).toThrow('asks for 2 gpu(s) but only 1 of this agent\'s 3 are free (2)');
    a.release('c1');
    expect(a.allocate('c3', 2)).toEqual([0, 1]);
    expect(a.free()).toEqual([2]);
  });

  it('restores checkpointed assignments, dropping devices it no longer has or that are taken', () => {
    const a = new GpuAllocator([0, 1]);
    expect(a.restore('old', [1, 7])).toEqual([1]);
    expect(a.restore('other', [1])).toEqual([]);
    expect(a.of('old')).toEqual([1]);
    expect(a.allocate('new', 1)).toEqual([0]);
  });
});
