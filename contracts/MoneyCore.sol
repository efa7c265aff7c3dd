// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ColoredLots} from "./ColoredLots.sol";
import {MemberRegistry} from "./MemberRegistry.sol";

/// @title MoneyCore
/// @notice The money core of chaincode/core (accounts.ts, mirror.ts, transfer.ts, freeze.ts) for EVM
/// consortium chains (FISCO BCOS, ChainMaker, Besu): banks open accounts for their own org's members,
/// oracles mirror the books' deposits and withdrawals keyed by (bank, off-chain transaction id),
/// owners transfer colored lots FIFO keyed by their request id, courts and regulators freeze under
/// recorded orders. Ids are the chaincode's texts; amounts are integer fen up to 10^15.
/// @dev Members act through a trusted ERC-2771 forwarder: each signs its own EIP-712 request and a
/// relayer submits it, so `_msgSender()` is the member whose signature the forwarder checked. Writes
/// return true when they were a replay of the same request (nothing changed).
contract MoneyCore is MemberRegistry, ColoredLots, ERC2771Context {
    enum Status {
        None,
        Active,
        Frozen,
        Closed
    }

    struct Account {
        string id;
        address owner;
        string holderName;
        string bank;
        string offChainRef;
        uint8 kind;
        Status status;
        uint64 histSeq;
    }

    /// @notice A freeze order: its reference and the authority that imposed it (and alone lifts it).
    struct FreezeOrder {
        string order;
        address by;
    }

    /// @notice A mirrored movement (kind 1 deposit, 2 withdrawal; 0 none).
    struct Mirror {
        uint8 kind;
        string account;
        uint256 amount;
        string color;
    }

    struct TransferRecord {
        address by;
        string from;
        string to;
        uint256 amount;
        string purpose;
        string ref;
    }

    /// @notice The largest amount in fen, as chaincode/lib/money.ts MAX_FEN.
    uint256 public constant MAX_AMOUNT = 10 ** 15;
    /// @dev Account kinds in the order of ACCOUNT_KINDS in chaincode/core/account.ts; wallets (e-CNY tier limits) stay on chaincode.
    uint8 private constant KINDS = 8;
    uint8 private constant WALLET = 2;
    uint256 private constant TRANSFER_ROLES =
        (1 << ENTERPRISE) | (1 << MERCHANT) | (1 << CONSUMER) | (1 << BANK) | (1 << REGULATOR);
    uint256 private constant FREEZE_ROLES = (1 << COURT) | (1 << REGULATOR);
    uint256 private constant MANDATE_ROLES = (1 << REGULATOR) | (1 << AUDITOR);

    mapping(bytes32 => Account) private _accounts;
    mapping(bytes32 => FreezeOrder[]) private _freezes;
    mapping(bytes32 => mapping(bytes32 order => bool)) private _lifted;
    mapping(bytes32 => Mirror) private _mirrors;
    mapping(bytes32 => TransferRecord) private _transfers;
    uint256 public totalDeposits;
    uint256 public totalWithdrawals;

    event AccountOpened(string id, string owner, string bank, uint8 kind);
    event AccountStatus(string id, Status status, string order);
    /// @notice One entry of an account's history (chaincode HistoryEntry): signed fen, balance after.
    event History(
        bytes32 indexed account,
        uint64 seq,
        string kind,
        int256 amount,
        uint256 balance,
        string counterparty,
        string ref,
        string color
    );
    /// @notice A movement the books made that the chain would not have allowed (chaincode Alert).
    event Alert(string alert, string account, string offTxId);
    event Transferred(string id, string from, string to, uint256 amount, string purpose);

    /// @notice `field` is not an id of 1-64 letters, digits, '.', '_', ':' or '-'.
    error InvalidId(string field);
    /// @notice `field` is empty or too long.
    error InvalidText(string field);
    /// @notice Zero, or above MAX_AMOUNT.
    error InvalidAmount(uint256 amount);
    error InvalidKind(uint8 kind);
    /// @notice What the chaincode does here, this ledger does not (e.g. cross-org accounts, e-CNY wallets).
    error NotOnThisLedger(string what);
    error MemberNotFound(string handle);
    /// @notice No account, or one the caller may not see (the same answer).
    error AccountNotFound(string field);
    error AccountExists(string id);
    error AccountFrozen(string field);
    error AccountClosed(string field);
    error NotAccountOwner(string field);
    error NotAccountBank(string field);
    error SameAccount();
    error IdempotencyConflict(string field);
    error BalanceNotZero(string id);
    error FreezeNotFound(string order);
    error NotFreezeAuthority(string order);

    /// @param genesisOrg The first org (MSP id); the deployer becomes its admin.
    /// @param adminName The deployer's member name.
    /// @param forwarder The trusted ERC-2771 forwarder that checks members' signatures.
    constructor(
        string memory genesisOrg,
        string memory adminName,
        address forwarder
    ) MemberRegistry(genesisOrg, adminName) ERC2771Context(forwarder) {}

    /// @notice A bank opens an account for a registered member of its own org (Money:openAccount).
    /// @param id The account id.
    /// @param kind The kind, as ACCOUNT_KINDS (wallets stay on chaincode).
    /// @param owner The owner's handle `org:name`.
    /// @param offChainRef The bank's reference.
    /// @param holderName The holder's name ('' = the owner's member name).
    /// @return replayed True when the same opening was done before.
    function openAccount(
        string calldata id,
        uint8 kind,
        string calldata owner,
        string calldata offChainRef,
        string calldata holderName
    ) external returns (bool replayed) {
        Member storage bank = _requireAnyRole(1 << BANK);
        _requireId(id, "id");
        if (kind >= KINDS) revert InvalidKind(kind);
        address who = _accountOfHandle(owner);
        if (who == address(0)) revert MemberNotFound(owner);
        _requireText(offChainRef, "offChainRef", 128, false);
        _requireText(holderName, "holderName", 128, true);
        string memory name = holderName;
        if (bytes(name).length == 0) name = _member(who).name;
        Account storage a = _accounts[_key(id)];
        if (a.status != Status.None) {
            bool same = a.kind == kind && a.owner == who && _eq(a.bank, bank.org) && _eq(a.offChainRef, offChainRef);
            if (same && _eq(a.holderName, name)) return true;
            revert AccountExists(id);
        }
        if (!_eq(_member(who).org, bank.org)) revert NotOnThisLedger("accounts for members of another org");
        if (kind == WALLET) revert NotOnThisLedger("e-CNY wallets (tier limits)");
        a.id = id;
        a.owner = who;
        a.holderName = name;
        a.bank = bank.org;
        a.offChainRef = offChainRef;
        (a.kind, a.status) = (kind, Status.Active);
        emit AccountOpened(id, owner, bank.org, kind);
        return false;
    }

    /// @notice A court or regulator freezes an account under `order` (Money:freezeAccount).
    /// @param id The account.
    /// @param order The order ('' = a regulator's standing order `reg.<name>`).
    /// @param reason Why (1-512 bytes).
    /// @return replayed True when the same order already holds it.
    function freezeAccount(
        string calldata id,
        string calldata order,
        string calldata reason
    ) external returns (bool replayed) {
        string memory named = _orderOf(_requireAnyRole(FREEZE_ROLES), order);
        _requireText(reason, "reason", 512, false);
        Account storage a = _existing(id, "id");
        FreezeOrder[] storage orders = _freezes[_key(id)];
        for (uint256 i = 0; i < orders.length; i++) {
            if (!_eq(orders[i].order, named)) continue;
            if (orders[i].by == _msgSender()) return true;
            revert IdempotencyConflict("order");
        }
        if (a.status == Status.Closed) revert AccountClosed("id");
        orders.push(FreezeOrder(named, _msgSender()));
        a.status = Status.Frozen;
        emit AccountStatus(id, Status.Frozen, named);
        return false;
    }

    /// @notice The authority that imposed `order` lifts it; active again once no order holds it.
    /// @param id The account.
    /// @param order The order ('' = the regulator's standing order).
    /// @param reason Why (1-512 bytes).
    /// @return replayed True when the order was lifted before.
    function unfreezeAccount(
        string calldata id,
        string calldata order,
        string calldata reason
    ) external returns (bool replayed) {
        _requireText(reason, "reason", 512, false);
        string memory named = _orderOf(_requireAnyRole(FREEZE_ROLES), order);
        Account storage a = _existing(id, "id");
        FreezeOrder[] storage orders = _freezes[_key(id)];
        uint256 i;
        while (i < orders.length && !_eq(orders[i].order, named)) i++;
        if (i == orders.length) {
            if (_lifted[_key(id)][_key(named)]) return true;
            revert FreezeNotFound(named);
        }
        if (orders[i].by != _msgSender()) revert NotFreezeAuthority(named);
        for (; i + 1 < orders.length; i++) orders[i] = orders[i + 1];
        orders.pop();
        _lifted[_key(id)][_key(named)] = true;
        if (orders.length == 0 && a.status == Status.Frozen) a.status = Status.Active;
        emit AccountStatus(id, a.status, named);
        return false;
    }

    /// @notice The account's bank closes it, only at zero balance (Money:closeAccount).
    /// @param id The account.
    /// @return replayed True when it was closed before.
    function closeAccount(string calldata id) external returns (bool replayed) {
        Member storage bank = _requireAnyRole(1 << BANK);
        Account storage a = _readable(id, "id");
        if (!_eq(a.bank, bank.org)) revert NotAccountBank("id");
        if (a.status == Status.Closed) return true;
        if (a.status == Status.Frozen) revert AccountFrozen("id");
        if (_balanceOf(id) != 0) revert BalanceNotZero(id);
        a.status = Status.Closed;
        emit AccountStatus(id, Status.Closed, "");
        return false;
    }

    /// @notice An oracle of the account's bank mirrors an off-chain deposit (Money:mirrorDeposit).
    /// @param account The account credited.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param offTxId The off-chain transaction id.
    /// @param color The lot color ('' = `dep:<account>`).
    /// @return replayed True when the same movement was mirrored before.
    function mirrorDeposit(
        string calldata account,
        uint256 amount,
        string calldata offTxId,
        string calldata color
    ) external returns (bool replayed) {
        Account storage a = _mirrorTarget(account, amount, offTxId);
        string memory paint = bytes(color).length > 0 ? color : string.concat("dep:", account);
        if (bytes(color).length > 0) _requireId(color, "color");
        if (_once(Mirror(1, account, amount, paint), a.bank, offTxId)) return true;
        string memory source = string.concat("deposit:", a.bank, ":", offTxId);
        Share[] memory from = new Share[](1);
        from[0] = Share(source, amount);
        _credit(account, paint, from);
        totalDeposits += amount;
        _history(a, HistoryLine("deposit", int256(amount), source, offTxId, paint));
        if (a.status == Status.Frozen) emit Alert("FROZEN_ACCOUNT_MOVED_OFF_CHAIN", account, offTxId);
        return false;
    }

    /// @notice An oracle of the account's bank mirrors an off-chain withdrawal, lots FIFO (Money:mirrorWithdrawal).
    /// @param account The account debited.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param offTxId The off-chain transaction id.
    /// @return replayed True when the same movement was mirrored before.
    function mirrorWithdrawal(
        string calldata account,
        uint256 amount,
        string calldata offTxId
    ) external returns (bool replayed) {
        Account storage a = _mirrorTarget(account, amount, offTxId);
        if (_once(Mirror(2, account, amount, ""), a.bank, offTxId)) return true;
        string memory sink = string.concat("withdrawal:", a.bank, ":", offTxId);
        Take[] memory takes = _debit(account, amount);
        for (uint256 i = 0; i < takes.length; i++) _addSources(sink, takes[i].sources);
        totalWithdrawals += amount;
        _history(a, HistoryLine("withdrawal", -int256(amount), sink, offTxId, ""));
        if (a.status == Status.Frozen) emit Alert("FROZEN_ACCOUNT_MOVED_OFF_CHAIN", account, offTxId);
        return false;
    }

    /// @notice The owner moves `amount` fen to another account, lots FIFO keeping their colors (Money:transfer).
    /// @param id The caller's request id (idempotency key).
    /// @param from The caller's account.
    /// @param to The receiving account.
    /// @param amount Fen, 1..MAX_AMOUNT.
    /// @param purpose What for (1-256 bytes).
    /// @param ref The caller's reference (0-128 bytes).
    /// @return replayed True when the same transfer was done before.
    function transfer(
        string calldata id,
        string calldata from,
        string calldata to,
        uint256 amount,
        string calldata purpose,
        string calldata ref
    ) external returns (bool replayed) {
        _requireAnyRole(TRANSFER_ROLES);
        _requireId(id, "id");
        _requireAmount(amount);
        _requireText(purpose, "purpose", 256, false);
        _requireText(ref, "ref", 128, true);
        Account storage src = _readable(from, "from");
        if (src.owner != _msgSender()) revert NotAccountOwner("from");
        _existing(to, "to");
        return _transfer(id, TransferRecord(_msgSender(), from, to, amount, purpose, ref));
    }

    function _transfer(string calldata id, TransferRecord memory t) private returns (bool replayed) {
        if (_transferOnce(t, id)) return true;
        Account storage src = _accounts[_key(t.from)];
        Account storage dst = _accounts[_key(t.to)];
        _requireUsable(src, "from");
        _requireUsable(dst, "to");
        if (_key(t.from) == _key(t.to)) revert SameAccount();
        Take[] memory takes = _debit(t.from, t.amount);
        for (uint256 i = 0; i < takes.length; i++) _credit(t.to, takes[i].color, takes[i].sources);
        string memory shown = bytes(t.ref).length > 0 ? t.ref : id;
        _history(src, HistoryLine("transfer_out", -int256(t.amount), t.to, shown, ""));
        _history(dst, HistoryLine("transfer_in", int256(t.amount), t.from, shown, ""));
        emit Transferred(id, t.from, t.to, t.amount, t.purpose);
        return false;
    }

    /// @notice An account's record (status None when there is no such account).
    /// @param id The account.
    /// @return account The record.
    /// @return owner The owner's handle.
    /// @return balance The balance in fen.
    /// @return orders The freeze orders holding it.
    function accountOf(
        string calldata id
    )
        external
        view
        returns (Account memory account, string memory owner, uint256 balance, FreezeOrder[] memory orders)
    {
        account = _accounts[_key(id)];
        return (account, _handleOf(account.owner), _balanceOf(id), _freezes[_key(id)]);
    }

    /// @notice A mirrored movement by (bank, offTxId); kind 0 when none.
    /// @param bank The bank org.
    /// @param offTxId The off-chain transaction id.
    /// @return mirror The record.
    function mirrorOf(string calldata bank, string calldata offTxId) external view returns (Mirror memory mirror) {
        return _mirrors[_mirrorKey(bank, offTxId)];
    }

    /// @notice A transfer by request id (zero `by` when none), with its sender's handle.
    /// @param id The request id.
    /// @return record The transfer.
    /// @return by The sender's handle.
    function transferOf(string calldata id) external view returns (TransferRecord memory record, string memory by) {
        record = _transfers[_key(id)];
        return (record, _handleOf(record.by));
    }

    // ---- rules shared by the writes

    struct HistoryLine {
        string kind;
        int256 amount;
        string counterparty;
        string ref;
        string color;
    }

    function _history(Account storage a, HistoryLine memory line) private {
        a.histSeq += 1;
        emit History(
            _key(a.id),
            a.histSeq,
            line.kind,
            line.amount,
            _balanceOf(a.id),
            line.counterparty,
            line.ref,
            line.color
        );
    }

    /// @dev The account, if the caller's bank keeps it (an oracle of another bank gets "no such account").
    function _mirrorTarget(
        string calldata account,
        uint256 amount,
        string calldata offTxId
    ) private view returns (Account storage a) {
        Member storage oracle = _requireAnyRole(1 << ORACLE);
        a = _existing(account, "account");
        if (!_eq(a.bank, oracle.org)) revert AccountNotFound("account");
        _requireAmount(amount);
        _requireId(offTxId, "offTxId");
    }

    /// @dev True when the same movement was mirrored; reverts when other values were; else records it.
    function _once(Mirror memory m, string memory bank, string calldata offTxId) private returns (bool) {
        Mirror storage prev = _mirrors[_mirrorKey(bank, offTxId)];
        if (prev.kind != 0) {
            bool same = prev.kind == m.kind && _eq(prev.account, m.account) && prev.amount == m.amount;
            if (same && _eq(prev.color, m.color)) return true;
            revert IdempotencyConflict("offTxId");
        }
        if (_accounts[_key(m.account)].status == Status.Closed) revert AccountClosed("account");
        _mirrors[_mirrorKey(bank, offTxId)] = m;
        return false;
    }

    function _transferOnce(TransferRecord memory t, string calldata id) private returns (bool) {
        TransferRecord storage prev = _transfers[_key(id)];
        if (prev.by != address(0)) {
            bool same = prev.by == t.by && _eq(prev.from, t.from) && _eq(prev.to, t.to) && prev.amount == t.amount;
            if (same && _eq(prev.purpose, t.purpose) && _eq(prev.ref, t.ref)) return true;
            revert IdempotencyConflict("id");
        }
        _transfers[_key(id)] = t;
        return false;
    }

    function _mirrorKey(string memory bank, string memory offTxId) private pure returns (bytes32) {
        return keccak256(abi.encode(bank, offTxId));
    }

    function _existing(string calldata id, string memory field) private view returns (Account storage a) {
        _requireId(id, field);
        a = _accounts[_key(id)];
        if (a.status == Status.None) revert AccountNotFound(field);
    }

    /// @dev chaincode/core/access.ts canReadAccount: the owner, its bank's banks and oracles, the mandated, a court holding it.
    function _readable(string calldata id, string memory field) private view returns (Account storage a) {
        a = _existing(id, field);
        address me = _msgSender();
        Member storage m = _member(me);
        bool bankSide = _eq(m.org, a.bank) && m.roles & ((1 << BANK) | (1 << ORACLE)) != 0;
        if (a.owner == me || bankSide || m.roles & MANDATE_ROLES != 0 || _holdsFreeze(id, me)) return a;
        revert AccountNotFound(field);
    }

    function _holdsFreeze(string calldata id, address who) private view returns (bool) {
        FreezeOrder[] storage orders = _freezes[_key(id)];
        for (uint256 i = 0; i < orders.length; i++) if (orders[i].by == who) return true;
        return false;
    }

    function _requireUsable(Account storage a, string memory field) private view {
        if (a.status == Status.Closed) revert AccountClosed(field);
        if (a.status == Status.Frozen) revert AccountFrozen(field);
    }

    /// @dev chaincode/core/freeze.ts orderOf: a regulator's '' is its standing order `reg.<name>`.
    function _orderOf(Member storage me, string calldata order) private view returns (string memory named) {
        named = bytes(order).length == 0 && me.roles & (1 << COURT) == 0 ? string.concat("reg.", me.name) : order;
        _requireId(named, "order");
    }

    function _requireAmount(uint256 amount) private pure {
        if (amount == 0 || amount > MAX_AMOUNT) revert InvalidAmount(amount);
    }

    /// @dev chaincode/lib/validate.ts requireId: 1-64 of [A-Za-z0-9._:-], starting with a letter or digit.
    function _requireId(string memory id, string memory field) private pure {
        bytes memory b = bytes(id);
        if (b.length == 0 || b.length > 64) revert InvalidId(field);
        for (uint256 i = 0; i < b.length; i++) {
            bytes1 c = b[i];
            bool alnum = (c >= "0" && c <= "9") || (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");
            if (!alnum && (i == 0 || (c != "." && c != "_" && c != ":" && c != "-"))) revert InvalidId(field);
        }
    }

    /// @dev Byte length stands in for the chaincode's character count (the same for ASCII text).
    function _requireText(string memory text, string memory field, uint256 max, bool optional) private pure {
        uint256 n = bytes(text).length;
        if ((n == 0 && !optional) || n > max) revert InvalidText(field);
    }

    function _eq(string memory a, string memory b) private pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    // ---- ERC-2771: the member who signed is the sender

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
