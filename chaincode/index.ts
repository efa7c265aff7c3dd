/**
 * The chaincode: every contract Fabric (and the embedded engine) runs, in one package.
 * fabric-shim's server mode and the embedded engine both load `contracts` from here.
 */
import 'reflect-metadata';
import './lib/string-params';
import { BillsContract } from './bills/contract';
import { AuditContract } from './core/audit';
import { IdentityContract } from './core/identity';
import { MoneyContract } from './core/money';
import { TraceContract } from './core/trace';
import { PrepaidContract } from './prepaid/contract';
import { SupervisionContract } from './supervision/contract';

export const contracts = [
  IdentityContract,
  MoneyContract,
  TraceContract,
  AuditContract,
  PrepaidContract,
  BillsContract,
  SupervisionContract,
];
