/**
 * The chaincode: every contract Fabric (and the embedded engine) runs, in one package.
 * fabric-shim's server mode and the embedded engine both load `contracts` from here.
 */
import 'reflect-metadata';
import { IdentityContract } from './core/identity';
import { MoneyContract } from './core/money';
import { TraceContract } from './core/trace';

export const contracts = [IdentityContract, MoneyContract, TraceContract];
