// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MemberRegistry} from "./MemberRegistry.sol";

/// @title MoneyCore
/// @notice The money core of chaincode/core for EVM consortium chains (FISCO BCOS, ChainMaker,
/// Besu): accounts opened by banks, colored lots (one per account and color, consumed FIFO by
/// arrival), mirrored deposits and withdrawals keyed by the off-chain transaction id, and
/// idempotent transfers. Amounts are integer fen.
contract MoneyCore is MemberRegistry {
    enum Status { None, Active, Frozen, Closed }

    struct Account {
        address owner;
        bytes32 bank;
        Status status;
        uint256 balance;
        bytes32[] colors; // arrival order of colors: the FIFO queue
    }

    mapping(bytes32 => Account) private _accounts;
    mapping(bytes32 => mapping(bytes32 => uint256)) private _lots; // account => color => fen
    mapping(bytes32 => bytes32) private _done; // business key => hash of the values first seen
    uint256 public totalDeposits;
    uint256 public totalWithdrawals;

    event AccountOpened(bytes32 indexed id, address indexed owner, bytes32 bank);
    event AccountStatus(bytes32 indexed id, Status status);
    event Deposited(bytes32 indexed account, bytes32 indexed offTxId, bytes32 color, uint256 amount);
    event Withdrawn(bytes32 indexed account, bytes32 indexed offTxId, uint256 amount);
    event Moved(bytes32 indexed transferId, bytes32 indexed from, bytes32 indexed to, bytes32 color, uint256 amount);

    error AccountExists(bytes32 id);
    error AccountNotFound(bytes32 id);
    error AccountNotActive(bytes32 id, Status status);
    error NotAccountOwner(bytes32 id);
    error NotAccountBank(bytes32 id);
    error InvalidAmount();
    error InsufficientFunds(bytes32 id, uint256 available, uint256 needed);
    error IdempotencyConflict(bytes32 key);
    error BalanceNotZero(bytes32 id);

    constructor(bytes32 genesisOrg) MemberRegistry(genesisOrg) {}

    /// @notice A bank opens an account for `owner`.
    function openAccount(bytes32 id, address owner) external {
        Member memory bank = _requireRole(BANK);
        if (_accounts[id].status != Status.None) revert AccountExists(id);
        Account storage a = _accounts[id];
        (a.owner, a.bank, a.status) = (owner, bank.org, Status.Active);
        emit AccountOpened(id, owner, bank.org);
    }

    /// @notice A regulator freezes (`frozen` true) or unfreezes an account.
    function setFrozen(bytes32 id, bool frozen) external {
        _requireRole(REGULATOR);
        Account storage a = _existing(id);
        if (a.status == Status.Closed) revert AccountNotActive(id, a.status);
        a.status = frozen ? Status.Frozen : Status.Active;
        emit AccountStatus(id, a.status);
    }

    /// @notice The account's bank closes it, only at zero balance.
    function closeAccount(bytes32 id) external {
        Member memory bank = _requireRole(BANK);
        Account storage a = _existing(id);
        if (a.bank != bank.org) revert NotAccountBank(id);
        if (a.balance != 0) revert BalanceNotZero(id);
        a.status = Status.Closed;
        emit AccountStatus(id, Status.Closed);
    }

    /// @notice An oracle of the account's bank mirrors an off-chain deposit; replay is a no-op.
    function mirrorDeposit(bytes32 id, uint256 amount, bytes32 offTxId, bytes32 color) external {
        Account storage a = _mirrorTarget(id, amount);
        if (_once(keccak256(abi.encode("mirror", a.bank, offTxId)), keccak256(abi.encode("dep", id, amount, color)))) return;
        if (a.status == Status.Closed) revert AccountNotActive(id, a.status);
        _credit(id, color, amount);
        totalDeposits += amount;
        emit Deposited(id, offTxId, color, amount);
    }

    /// @notice An oracle of the account's bank mirrors an off-chain withdrawal (FIFO); replay is a no-op.
    function mirrorWithdrawal(bytes32 id, uint256 amount, bytes32 offTxId) external {
        Account storage a = _mirrorTarget(id, amount);
        if (_once(keccak256(abi.encode("mirror", a.bank, offTxId)), keccak256(abi.encode("wd", id, amount)))) return;
        _debit(bytes32(0), id, bytes32(0), amount);
        totalWithdrawals += amount;
        emit Withdrawn(id, offTxId, amount);
    }

    /// @notice The owner moves `amount` fen; `transferId` is the idempotency key.
    function transfer(bytes32 transferId, bytes32 from, bytes32 to, uint256 amount) external {
        if (_once(keccak256(abi.encode("xfer", transferId)), keccak256(abi.encode(from, to, amount)))) return;
        if (amount == 0) revert InvalidAmount();
        Account storage src = _existing(from);
        Account storage dst = _existing(to);
        if (src.owner != msg.sender) revert NotAccountOwner(from);
        if (src.status != Status.Active) revert AccountNotActive(from, src.status);
        if (dst.status != Status.Active) revert AccountNotActive(to, dst.status);
        _debit(transferId, from, to, amount);
    }

    /// @notice Balance in total and the amount of one color.
    function balanceOf(bytes32 id, bytes32 color) external view returns (uint256 total, uint256 ofColor) {
        return (_accounts[id].balance, _lots[id][color]);
    }

    /// @notice The colors an account holds, oldest first, with their amounts.
    function lotsOf(bytes32 id) external view returns (bytes32[] memory colors, uint256[] memory amounts) {
        colors = _accounts[id].colors;
        amounts = new uint256[](colors.length);
        for (uint256 i = 0; i < colors.length; i++) amounts[i] = _lots[id][colors[i]];
    }

    function _existing(bytes32 id) private view returns (Account storage a) {
        a = _accounts[id];
        if (a.status == Status.None) revert AccountNotFound(id);
    }

    function _mirrorTarget(bytes32 id, uint256 amount) private view returns (Account storage a) {
        Member memory oracle = _requireRole(ORACLE);
        a = _existing(id);
        if (a.bank != oracle.org) revert NotAccountBank(id);
        if (amount == 0) revert InvalidAmount();
    }

    /// @dev True when `key` was done before with the same values; reverts if with other values.
    function _once(bytes32 key, bytes32 values) private returns (bool) {
        bytes32 seen = _done[key];
        if (seen == values) return true;
        if (seen != bytes32(0)) revert IdempotencyConflict(key);
        _done[key] = values;
        return false;
    }

    function _credit(bytes32 id, bytes32 color, uint256 amount) private {
        if (_lots[id][color] == 0) _accounts[id].colors.push(color);
        _lots[id][color] += amount;
        _accounts[id].balance += amount;
    }

    /// @dev Consumes lots FIFO; credits `to` with the same colors unless `to` is zero (withdrawal).
    function _debit(bytes32 transferId, bytes32 from, bytes32 to, uint256 amount) private {
        Account storage src = _accounts[from];
        if (src.balance < amount) revert InsufficientFunds(from, src.balance, amount);
        uint256 left = amount;
        uint256 emptied;
        for (uint256 i = 0; left > 0; i++) {
            bytes32 color = src.colors[i];
            uint256 lot = _lots[from][color];
            uint256 take = lot < left ? lot : left;
            _lots[from][color] = lot - take;
            if (lot == take) emptied++;
            left -= take;
            if (to != bytes32(0)) {
                _credit(to, color, take);
                emit Moved(transferId, from, to, color, take);
            }
        }
        src.balance -= amount;
        // Drop emptied colors from the front of the queue (they are always the oldest).
        if (emptied > 0) {
            uint256 n = src.colors.length;
            for (uint256 i = emptied; i < n; i++) src.colors[i - emptied] = src.colors[i];
            for (uint256 i = 0; i < emptied; i++) src.colors.pop();
        }
    }
}
