/**
 * Pre-sale housing (商品房预售资金) milestone presets, as data. Each cap is the cumulative share
 * of the key supervised amount releasable once the milestone is attested; `retentionBp` stays
 * until the final milestone (first registration, 首次登记).
 */
import type { Milestone } from './types';

export interface Preset {
  milestones: Milestone[];
  retentionBp: number;
}

/**
 * Putian 2022: permit 30 %, half the floors 50 %, topping out 70 %, completion report 85 %,
 * completion filing 100 % — with at least 5 % kept until first registration.
 */
export const putian2022 = (): Preset => ({
  retentionBp: 500,
  milestones: [
    { id: 'permit', name: '取得预售许可', capBp: 3000 },
    { id: 'half_floors', name: '主体结构完成一半', capBp: 5000 },
    { id: 'topping_out', name: '主体结构封顶', capBp: 7000 },
    { id: 'completion_report', name: '竣工验收报告', capBp: 8500 },
    { id: 'completion_filing', name: '竣工验收备案', capBp: 10000 },
    { id: 'first_registration', name: '首次登记', capBp: 10000 },
  ],
});

/**
 * Xi'an 2021, read as: up to 50 % before main-structure acceptance (reached at topping out),
 * 95 % after it, 99 % after completion acceptance, filing adds nothing (the last 1 % is the
 * retention), 100 % after first registration. Buildings over 7 floors get interim caps of
 * 20 % and 35 % at one and two thirds of the floors.
 */
export function xian2021(floors: number): Preset {
  const interim: Milestone[] =
    floors > 7
      ? [
          { id: 'third_floors', name: '完成三分之一层数', capBp: 2000 },
          { id: 'two_thirds_floors', name: '完成三分之二层数', capBp: 3500 },
        ]
      : [];
  return {
    retentionBp: 100,
    milestones: [
      ...interim,
      { id: 'topping_out', name: '主体结构封顶', capBp: 5000 },
      { id: 'structure_acceptance', name: '主体结构验收', capBp: 9500 },
      { id: 'completion_acceptance', name: '竣工验收', capBp: 9900 },
      { id: 'completion_filing', name: '竣工验收备案', capBp: 10000 },
      { id: 'first_registration', name: '首次登记', capBp: 10000 },
    ],
  };
}

export const PRESETS = ['putian2022', 'xian2021'] as const;
export type PresetName = (typeof PRESETS)[number];

export function preset(name: PresetName, floors = 0): Preset {
  return name === 'putian2022' ? putian2022() : xian2021(floors);
}
