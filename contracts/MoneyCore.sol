// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MemberRegistry} from "./MemberRegistry.sol";

/// @title MoneyCore
/// @notice The money core of chaincode/core (money.ts, lots.ts) for EVM consortium chains (FISCO BCOS,
/// ChainMaker, Besu): accounts opened by banks, colored lots (one per account and color, consumed FIFO
/// by the color's arrival at the account), mirrored deposits and withdrawals keyed by (bank, off-chain
/// transaction id), idempotent transfers, and the cumulative flow edges between lots, deposit sources
/// and withdrawal sinks that payment tracing walks. Amounts are integer fen, at most 18 digits, as in
/// chaincode/lib/money.ts. Text ids (accounts, colors, off-chain ids) are bytes32 keys chosen by the
/// caller (docs/evm.md: keccak256 of the chaincode's id), never zero.
contract MoneyCore is MemberRegistry {
    /// @notice Account status; None means "no such account".
    enum Status {
        None,
        Active,
        Frozen,
        Closed
    }
    /// @notice Account kinds, in the order of ACCOUNT_KINDS in chaincode/core/lots.ts.
    enum Kind {
        Supervised,
        Settlement,
        Wallet,
        Escrow,
        Wage,
        Deposit,
        Payout,
        General
    }
    /// @notice Flow graph nodes: a lot (a = account, b = color), a deposit source or a withdrawal
    /// sink (a = bank org, b = off-chain transaction id); chaincode's `<account>/<color>`,
    /// `deposit:<bank>:<offTxId>` and `withdrawal:<bank>:<offTxId>`.
    enum NodeKind {
        Lot,
        Deposit,
        Withdrawal
    }

    struct Account {
        address owner;
        Status status;
        Kind kind;
        bytes32 bank;
        bytes32 offChainRef;
        uint256 balance;
        bytes32[] colors; // arrival order of colors: the FIFO queue
    }

    struct Node {
        NodeKind kind;
        bytes32 a;
        bytes32 b;
    }

    /// @notice The largest amount in fen (18 digits), as chaincode/lib/money.ts accepts.
    uint256 public constant MAX_AMOUNT = 999_999_999_999_999_999;
    /// @dev Roles that may send a transfer (chaincode Money.transfer's requireRole).
    uint256 private constant TRANSFER_ROLES =
        (1 << ENTERPRISE) | (1 << MERCHANT) | (1 << CONSUMER) | (1 << BANK) | (1 << REGULATOR);

    mapping(bytes32 => Account) private _accounts;
    mapping(bytes32 => mapping(bytes32 => uint256)) private _lots; // account => color => fen
    mapping(bytes32 => bytes32) private _done; // business key => hash of the values first seen
    mapping(bytes32 => Node) private _nodes; // node key => node
    mapping(bytes32 => bytes32[]) private _inbound; // node key => keys of nodes that flowed into it, first flow first
    mapping(bytes32 => bytes32[]) private _outbound; // node key => keys of nodes it flowed to, first flow first
    mapping(bytes32 => mapping(bytes32 => uint256)) private _flows; // from key => to key => cumulative fen
    uint256 public totalDeposits;
    uint256 public totalWithdrawals;

    event AccountOpened(bytes32 indexed id, address indexed owner, bytes32 bank, Kind kind, bytes32 offChainRef);
    event AccountStatus(bytes32 indexed id, Status status);
    event Deposited(bytes32 indexed account, bytes32 indexed offTxId, bytes32 color, uint256 amount);
    event Withdrawn(bytes32 indexed account, bytes32 indexed offTxId, uint256 amount);
    /// @notice An off-chain movement was mirrored on a frozen account (chaincode's Alert FROZEN_ACCOUNT_MOVED_OFF_CHAIN).
    event FrozenAccountMovedOffChain(bytes32 indexed account, bytes32 indexed offTxId);
    /// @notice One leg of a transfer: `amount` fen of `color` from lot (from, color) to lot (to, color).
    event Moved(bytes32 indexed transferId, bytes32 indexed from, bytes32 indexed to, bytes32 color, uint256 amount);
    /// @notice A transfer as a whole; `memo` is the caller's hash of purpose and reference.
    event Transferred(bytes32 indexed transferId, bytes32 indexed from, bytes32 indexed to, uint256 amount, bytes32 memo);

    error InvalidId();
    error InvalidColor();
    error InvalidAmount();
    error NotAMember(address who);
    error AccountExists(bytes32 id);
    error AccountNotFound(bytes32 id);
    error AccountNotActive(bytes32 id, Status status);
    error NotAccountOwner(bytes32 id);
    error NotAccountBank(bytes32 id);
    error SameAccount(bytes32 id);
    error InsufficientFunds(bytes32 id, uint256 available, uint256 needed);
    error IdempotencyConflict(bytes32 key);
    error BalanceNotZero(bytes32 id);

    constructor(bytes32 genesisOrg) MemberRegistry(genesisOrg) {}

    /// @notice A bank opens an account for a registered member. Replaying the same opening is a no-op.
    /// @param id The account id (non-zero).
    /// @param owner The registered member who owns it.
    /// @param kind The account kind.
    /// @param offChainRef The bank's reference (hash of the account number or wallet id).
    function openAccount(bytes32 id, address owner, Kind kind, bytes32 offChainRef) external {
        Member memory bank = _requireRole(BANK);
        if (id == bytes32(0)) revert InvalidId();
        if (!_isMember(owner)) revert NotAMember(owner);
        Account storage a = _accounts[id];
        if (a.status != Status.None) {
            if (a.owner == owner && a.bank == bank.org && a.kind == kind && a.offChainRef == offChainRef) return;
            revert AccountExists(id);
        }
        (a.owner, a.bank, a.status, a.kind, a.offChainRef) = (owner, bank.org, Status.Active, kind, offChainRef);
        emit AccountOpened(id, owner, bank.org, kind, offChainRef);
    }

    /// @notice A regulator freezes (`frozen` true) or unfreezes an account; setting the current status is a no-op.
    /// @param id The account.
    /// @param frozen True to freeze, false to unfreeze.
    function setFrozen(bytes32 id, bool frozen) external {
        _requireRole(REGULATOR);
        Account storage a = _existing(id);
        if (a.status == Status.Closed) revert AccountNotActive(id, a.status);
        Status next = frozen ? Status.Frozen : Status.Active;
        if (a.status == next) return;
        a.status = next;
        emit AccountStatus(id, next);
    }

    /// @notice The account's bank closes it, only at zero balance and not while frozen; closing again is a no-op.
    /// @param id The account.
    function closeAccount(bytes32 id) external {
        Member memory bank = _requireRole(BANK);
        Account storage a = _existing(id);
        if (a.bank != bank.org) revert NotAccountBank(id);
        if (a.status == Status.Closed) return;
        if (a.status == Status.Frozen) revert AccountNotActive(id, a.status);
        if (a.balance != 0) revert BalanceNotZero(id);
        a.status = Status.Closed;
        emit AccountStatus(id, Status.Closed);
    }

    /// @notice An oracle of the account's bank mirrors an off-chain deposit of `color`. Keyed by
    /// (bank, offTxId): a replay with the same values is a no-op, with other values it reverts.
    /// @param id The account credited.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param offTxId The off-chain transaction id (non-zero).
    /// @param color The lot color (non-zero; chaincode's default is `dep:<account>`).
    function mirrorDeposit(bytes32 id, uint256 amount, bytes32 offTxId, bytes32 color) external {
        Account storage a = _mirrorTarget(id, amount, offTxId);
        if (color == bytes32(0)) revert InvalidColor();
        if (_once(_mirrorKey(a.bank, offTxId), keccak256(abi.encode("dep", id, amount, color)))) return;
        if (a.status == Status.Closed) revert AccountNotActive(id, a.status);
        _credit(id, color, amount);
        _addFlow(Node(NodeKind.Deposit, a.bank, offTxId), Node(NodeKind.Lot, id, color), amount);
        totalDeposits += amount;
        emit Deposited(id, offTxId, color, amount);
        if (a.status == Status.Frozen) emit FrozenAccountMovedOffChain(id, offTxId);
    }

    /// @notice An oracle of the account's bank mirrors an off-chain withdrawal, taken from the lots
    /// FIFO. Keyed by (bank, offTxId) like deposits.
    /// @param id The account debited.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param offTxId The off-chain transaction id (non-zero).
    function mirrorWithdrawal(bytes32 id, uint256 amount, bytes32 offTxId) external {
        Account storage a = _mirrorTarget(id, amount, offTxId);
        if (_once(_mirrorKey(a.bank, offTxId), keccak256(abi.encode("wd", id, amount)))) return;
        if (a.status == Status.Closed) revert AccountNotActive(id, a.status);
        (bytes32[] memory colors, uint256[] memory takes, uint256 legs) = _take(id, amount);
        Node memory sink = Node(NodeKind.Withdrawal, a.bank, offTxId);
        for (uint256 i = 0; i < legs; i++) _addFlow(Node(NodeKind.Lot, id, colors[i]), sink, takes[i]);
        totalWithdrawals += amount;
        emit Withdrawn(id, offTxId, amount);
        if (a.status == Status.Frozen) emit FrozenAccountMovedOffChain(id, offTxId);
    }

    /// @notice The owner moves `amount` fen to another account, lots FIFO, keeping their colors.
    /// `transferId` is the idempotency key: a replay with the same values is a no-op, with other values it reverts.
    /// @param transferId The caller's request id (non-zero).
    /// @param from The sender's account (owned by the caller).
    /// @param to The receiving account.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param memo The caller's hash of the transfer's purpose and reference (part of the idempotency values).
    function transfer(bytes32 transferId, bytes32 from, bytes32 to, uint256 amount, bytes32 memo) external {
        _requireAnyRole(TRANSFER_ROLES);
        if (transferId == bytes32(0)) revert InvalidId();
        _requireAmount(amount);
        Account storage src = _existing(from);
        Account storage dst = _existing(to);
        if (_once(keccak256(abi.encode("xfer", transferId)), keccak256(abi.encode(from, to, amount, memo)))) return;
        if (src.owner != msg.sender) revert NotAccountOwner(from);
        if (src.status != Status.Active) revert AccountNotActive(from, src.status);
        if (dst.status != Status.Active) revert AccountNotActive(to, dst.status);
        if (from == to) revert SameAccount(from);
        (bytes32[] memory colors, uint256[] memory takes, uint256 legs) = _take(from, amount);
        for (uint256 i = 0; i < legs; i++) {
            _credit(to, colors[i], takes[i]);
            _addFlow(Node(NodeKind.Lot, from, colors[i]), Node(NodeKind.Lot, to, colors[i]), takes[i]);
            emit Moved(transferId, from, to, colors[i], takes[i]);
        }
        emit Transferred(transferId, from, to, amount, memo);
    }

    /// @notice Balance in total and the amount of one color.
    /// @param id The account.
    /// @param color A color.
    /// @return total The balance in fen.
    /// @return ofColor The fen of `color`.
    function balanceOf(bytes32 id, bytes32 color) external view returns (uint256 total, uint256 ofColor) {
        return (_accounts[id].balance, _lots[id][color]);
    }

    /// @notice The colors an account holds, oldest arrival first (the FIFO order), with their amounts.
    /// @param id The account.
    /// @return colors The colors.
    /// @return amounts Their fen.
    function lotsOf(bytes32 id) external view returns (bytes32[] memory colors, uint256[] memory amounts) {
        colors = _accounts[id].colors;
        amounts = new uint256[](colors.length);
        for (uint256 i = 0; i < colors.length; i++) amounts[i] = _lots[id][colors[i]];
    }

    /// @notice An account's record (status None when there is no such account).
    /// @param id The account.
    /// @return owner The owner.
    /// @return bank The bank org keeping it.
    /// @return status Its status.
    /// @return kind Its kind.
    /// @return offChainRef The bank's reference.
    /// @return balance The balance in fen.
    function accountOf(
        bytes32 id
    )
        external
        view
        returns (address owner, bytes32 bank, Status status, Kind kind, bytes32 offChainRef, uint256 balance)
    {
        Account storage a = _accounts[id];
        return (a.owner, a.bank, a.status, a.kind, a.offChainRef, a.balance);
    }

    /// @notice The cumulative flows into `node`, one per source node, in order of their first flow.
    /// A deposit's lot and amount: flowsOutOf(Deposit node); a withdrawal's legs: flowsInto(Withdrawal node).
    /// @param node A lot or withdrawal node.
    /// @return peers The nodes money came from.
    /// @return amounts The cumulative fen from each.
    function flowsInto(Node calldata node) external view returns (Node[] memory peers, uint256[] memory amounts) {
        bytes32 self = _nodeKey(node);
        bytes32[] storage keys = _inbound[self];
        (peers, amounts) = (new Node[](keys.length), new uint256[](keys.length));
        for (uint256 i = 0; i < keys.length; i++) (peers[i], amounts[i]) = (_nodes[keys[i]], _flows[keys[i]][self]);
    }

    /// @notice The cumulative flows out of `node`, one per target node, in order of their first flow.
    /// @param node A lot or deposit node.
    /// @return peers The nodes money went to.
    /// @return amounts The cumulative fen to each.
    function flowsOutOf(Node calldata node) external view returns (Node[] memory peers, uint256[] memory amounts) {
        bytes32 self = _nodeKey(node);
        bytes32[] storage keys = _outbound[self];
        (peers, amounts) = (new Node[](keys.length), new uint256[](keys.length));
        for (uint256 i = 0; i < keys.length; i++) (peers[i], amounts[i]) = (_nodes[keys[i]], _flows[self][keys[i]]);
    }

    function _existing(bytes32 id) private view returns (Account storage a) {
        a = _accounts[id];
        if (a.status == Status.None) revert AccountNotFound(id);
    }

    function _requireAmount(uint256 amount) private pure {
        if (amount == 0 || amount > MAX_AMOUNT) revert InvalidAmount();
    }

    function _mirrorTarget(bytes32 id, uint256 amount, bytes32 offTxId) private view returns (Account storage a) {
        Member memory oracle = _requireRole(ORACLE);
        a = _existing(id);
        _requireAmount(amount);
        if (offTxId == bytes32(0)) revert InvalidId();
        if (a.bank != oracle.org) revert NotAccountBank(id);
    }

    /// @dev Deposits and withdrawals share one key space per bank, as in chaincode (`mirror~bank~offTxId`).
    function _mirrorKey(bytes32 bank, bytes32 offTxId) private pure returns (bytes32) {
        return keccak256(abi.encode("mirror", bank, offTxId));
    }

    /// @dev True when `key` was done before with the same values; reverts if with other values.
    function _once(bytes32 key, bytes32 values) private returns (bool) {
        bytes32 seen = _done[key];
        if (seen == values) return true;
        if (seen != bytes32(0)) revert IdempotencyConflict(key);
        _done[key] = values;
        return false;
    }

    /// @dev Adds money of `color` to an account, merging into its lot of that color (a new lot goes last).
    function _credit(bytes32 id, bytes32 color, uint256 amount) private {
        if (_lots[id][color] == 0) _accounts[id].colors.push(color);
        _lots[id][color] += amount;
        _accounts[id].balance += amount;
    }

    /// @dev Takes `amount` from the account's lots FIFO (chaincode's `fifo` policy) and drops emptied
    /// lots, which are always the oldest. Returns the legs: `legs` colors and the fen taken of each.
    function _take(
        bytes32 from,
        uint256 amount
    ) private returns (bytes32[] memory colors, uint256[] memory takes, uint256 legs) {
        Account storage src = _accounts[from];
        if (src.balance < amount) revert InsufficientFunds(from, src.balance, amount);
        uint256 n = src.colors.length;
        (colors, takes) = (new bytes32[](n), new uint256[](n));
        uint256 left = amount;
        uint256 emptied;
        for (; left > 0; legs++) {
            bytes32 color = src.colors[legs];
            uint256 lot = _lots[from][color];
            uint256 take = lot < left ? lot : left;
            _lots[from][color] = lot - take;
            if (lot == take) emptied++;
            (colors[legs], takes[legs]) = (color, take);
            left -= take;
        }
        src.balance -= amount;
        if (emptied > 0) {
            for (uint256 i = emptied; i < n; i++) src.colors[i - emptied] = src.colors[i];
            for (uint256 i = 0; i < emptied; i++) src.colors.pop();
        }
    }

    function _nodeKey(Node memory node) private pure returns (bytes32) {
        return keccak256(abi.encode(node.kind, node.a, node.b));
    }

    /// @dev Adds `amount` to the cumulative flow edge from -> to (chaincode lots.ts addFlow), indexed both ways.
    function _addFlow(Node memory from, Node memory to, uint256 amount) private {
        bytes32 fromKey = _remember(from);
        bytes32 toKey = _remember(to);
        if (_flows[fromKey][toKey] == 0) {
            _inbound[toKey].push(fromKey);
            _outbound[fromKey].push(toKey);
        }
        _flows[fromKey][toKey] += amount;
    }

    function _remember(Node memory node) private returns (bytes32 key) {
        key = _nodeKey(node);
        if (_nodes[key].b == bytes32(0)) _nodes[key] = node; // b (color or offTxId) is never zero
    }
}
