// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title dstore retrieval escrow
/// @notice Pays storage nodes for the bytes they serve without a transaction per read.
/// A client deposits; while it reads it signs cumulative receipts (EIP-191 personal
/// messages) for each node and session; a node redeems the latest receipt of each of
/// its sessions in batches, one transaction per batch, and is paid the difference to
/// what it already redeemed for that session. A client withdraws what is left only
/// `withdrawDelay` blocks after announcing it, so nodes have that long to redeem.
contract RetrievalEscrow {
    /// Domain of the signed receipt digest (see receiptDigest).
    bytes32 public constant RECEIPT_DOMAIN = keccak256("dstore retrieval receipt v1");
    /// Receipts one redeem call takes.
    uint256 public constant MAX_BATCH = 256;

    /// Why a receipt of a batch was refused (ReceiptRefused's reason).
    uint8 public constant REFUSED_SIGNATURE = 1; // not signed by the receipt's client
    uint8 public constant REFUSED_STALE = 2; // amount not above what the session already redeemed: replayed or out of order
    uint8 public constant REFUSED_OVERSPENT = 3; // more than the client has left
    uint8 public constant REFUSED_ABOVE_PRICE = 4; // amount above bytes times price

    struct Account {
        uint256 deposited; // every deposit, ever
        uint256 redeemed; // paid to nodes, ever
        uint256 withdrawn; // paid back to the client, ever
        uint64 unlockBlock; // 0, or the block from which withdraw pays out
    }

    /// A receipt: the client owes `amount` wei in total to the node redeeming it for
    /// the `bytes` served in `session` at `price` wei a byte (the client's free
    /// allowance is why amount may be below bytes * price); `ttfbMicros` is the time
    /// to first byte the client measured, recorded for the node's reputation.
    struct Receipt {
        address client;
        bytes32 session;
        uint64 bytes_;
        uint256 price;
        uint256 amount;
        uint32 ttfbMicros;
        bytes sig;
    }

    uint64 public immutable withdrawDelay;

    mapping(address => Account) internal accounts;
    /// keccak256(client, node, session) => cumulative amount redeemed.
    mapping(bytes32 => uint256) public sessionRedeemed;

    event Deposited(address indexed client, uint256 amount);
    event WithdrawRequested(address indexed client, uint64 unlockBlock);
    event Withdrawn(address indexed client, uint256 amount);
    event ReceiptRedeemed(
        address indexed client, address indexed node, bytes32 indexed session, uint64 bytes_, uint256 amount, uint256 paid, uint32 ttfbMicros
    );
    event ReceiptRefused(address indexed client, address indexed node, bytes32 indexed session, uint8 reason);

    error InvalidParams(string reason);
    error WrongPayment(uint256 sent, uint256 need);
    error NotUnlocked(uint64 unlockBlock);
    error TransferFailed();

    constructor(uint64 withdrawDelay_) {
        if (withdrawDelay_ == 0) revert InvalidParams("withdraw delay");
        withdrawDelay = withdrawDelay_;
    }

    /// Adds the value sent to the caller's deposit; cancels an announced withdrawal.
    function deposit() external payable {
        if (msg.value == 0) revert WrongPayment(0, 1);
        Account storage a = accounts[msg.sender];
        a.deposited += msg.value;
        if (a.unlockBlock != 0) {
            a.unlockBlock = 0;
            emit WithdrawRequested(msg.sender, 0);
        }
        emit Deposited(msg.sender, msg.value);
    }

    /// Announces a withdrawal: withdraw pays out from withdrawDelay blocks on.
    function requestWithdraw() external {
        Account storage a = accounts[msg.sender];
        if (a.deposited == 0) revert InvalidParams("nothing deposited");
        uint64 unlock = uint64(block.number) + withdrawDelay;
        a.unlockBlock = unlock;
        emit WithdrawRequested(msg.sender, unlock);
    }

    /// Pays the caller what it has left, once the announced delay has passed.
    function withdraw() external {
        Account storage a = accounts[msg.sender];
        if (a.unlockBlock == 0 || block.number < a.unlockBlock) revert NotUnlocked(a.unlockBlock);
        uint256 left = a.deposited - a.redeemed - a.withdrawn;
        a.withdrawn += left;
        a.unlockBlock = 0;
        emit Withdrawn(msg.sender, left);
        (bool ok,) = msg.sender.call{value: left}("");
        if (!ok) revert TransferFailed();
    }

    /// An account's totals in wei and its unlock block.
    function account(address client)
        external
        view
        returns (uint256 deposited, uint256 redeemed, uint256 withdrawn, uint64 unlockBlock)
    {
        Account storage a = accounts[client];
        return (a.deposited, a.redeemed, a.withdrawn, a.unlockBlock);
    }

    /// The digest a client signs (as an EIP-191 personal message of its 32 bytes) for a
    /// receipt to `node`.
    function receiptDigest(
        address client,
        address node,
        bytes32 session,
        uint64 bytes_,
        uint256 price,
        uint256 amount,
        uint32 ttfbMicros
    ) public view returns (bytes32) {
        return keccak256(
            abi.encode(RECEIPT_DOMAIN, block.chainid, address(this), client, node, session, bytes_, price, amount, ttfbMicros)
        );
    }

    /// Redeems a batch of receipts for the caller, paying in one transfer the sum of
    /// what each adds to its session. Receipts that are forged, stale (replayed or out
    /// of order), above bytes times price or above what the client has left are
    /// refused one by one (ReceiptRefused) without failing the batch.
    function redeem(Receipt[] calldata rs) external returns (uint256 paid) {
        if (rs.length == 0 || rs.length > MAX_BATCH) revert InvalidParams("batch size");
        for (uint256 i = 0; i < rs.length; i++) {
            paid += _redeem(rs[i]);
        }
        if (paid > 0) {
            (bool ok,) = msg.sender.call{value: paid}("");
            if (!ok) revert TransferFailed();
        }
    }

    function _redeem(Receipt calldata r) internal returns (uint256) {
        bytes32 digest = receiptDigest(r.client, msg.sender, r.session, r.bytes_, r.price, r.amount, r.ttfbMicros);
        if (_signer(digest, r.sig) != r.client || r.client == address(0)) {
            emit ReceiptRefused(r.client, msg.sender, r.session, REFUSED_SIGNATURE);
            return 0;
        }
        if (r.amount > uint256(r.bytes_) * r.price) {
            emit ReceiptRefused(r.client, msg.sender, r.session, REFUSED_ABOVE_PRICE);
            return 0;
        }
        bytes32 key = keccak256(abi.encode(r.client, msg.sender, r.session));
        uint256 before = sessionRedeemed[key];
        if (r.amount <= before) {
            emit ReceiptRefused(r.client, msg.sender, r.session, REFUSED_STALE);
            return 0;
        }
        uint256 due = r.amount - before;
        Account storage a = accounts[r.client];
        if (due > a.deposited - a.redeemed - a.withdrawn) {
            emit ReceiptRefused(r.client, msg.sender, r.session, REFUSED_OVERSPENT);
            return 0;
        }
        sessionRedeemed[key] = r.amount;
        a.redeemed += due;
        emit ReceiptRedeemed(r.client, msg.sender, r.session, r.bytes_, r.amount, due, r.ttfbMicros);
        return due;
    }

    /// The account whose key made sig (65 bytes r || s || v, v 27 or 28) over the
    /// EIP-191 personal message of digest; zero if none.
    function _signer(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        // Only low-s signatures: the other one of each pair would be a second encoding.
        if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) return address(0);
        bytes32 h = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", digest));
        return ecrecover(h, v, r, s);
    }
}
